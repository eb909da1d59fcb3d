import { measureBroadcast } from "./broadcast.js";
import { benchDatabase, measureTurns, registrationConversation } from "./turns.js";

/**
 * `npm run bench`: the turn pipeline on each database (PostgreSQL when BENCH_DATABASE_URL is
 * set), printed as a table. Not part of `npm test`.
 */
const drivers: ("pglite" | "postgres")[] = process.env.BENCH_DATABASE_URL
  ? ["pglite", "postgres"]
  : ["pglite"];
const cases = [
  { name: "one resident at a time", residents: 20, concurrency: 1 },
  { name: "50 residents at once", residents: 100, concurrency: 50 },
];

const rows: Record<string, string | number>[] = [];
for (const driver of drivers) {
  for (const benchCase of cases) {
    const database = await benchDatabase(driver);
    await measureTurns(database, 2, 1); // warm-up: JIT, caches, migrations already applied
    const figures = await measureTurns(database, benchCase.residents, benchCase.concurrency);
    await database.close();
    rows.push({
      database: driver,
      case: benchCase.name,
      turns: figures.turns,
      "turns/s": Math.round(figures.turnsPerSecond),
      "p50 ms": figures.p50Ms.toFixed(1),
      "p95 ms": figures.p95Ms.toFixed(1),
      "p99 ms": figures.p99Ms.toFixed(1),
    });
  }
}
console.log(
  `Registration conversation: ${registrationConversation.length} turns per resident, durable, through the real pipeline.`,
);
console.table(rows);

const residents = Number(process.env.BENCH_BROADCAST_RESIDENTS ?? 100_000);
const broadcastRows: Record<string, string | number>[] = [];
for (const driver of drivers) {
  const database = await benchDatabase(driver);
  const figures = await measureBroadcast(database, residents);
  await database.close();
  broadcastRows.push({
    database: driver,
    residents: figures.residents,
    "fan-out s": figures.fanOutSeconds.toFixed(1),
    "drain msg/s (null channel, no pacing)": Math.round(figures.drainPerSecond),
  });
}
console.log("\nAnnouncement to every resident: one set-based fan-out, then delivery.");
console.table(broadcastRows);
