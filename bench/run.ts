import { measureBroadcast } from "./broadcast.js";
import { bursts } from "./bursts.js";
import { bareTurnCeiling } from "./ceiling.js";
import { closedLoop } from "./closed-loop.js";
import {
  benchDatabase,
  benchDrivers,
  type Driver,
  dropBenchDatabases,
  serverVersion,
  settle,
} from "./database.js";
import { openLoop } from "./open-loop.js";
import { machine, printTable, type Row, writeResults } from "./report.js";
import { benchCore, referenceReplies } from "./residents.js";
import { measureStartup } from "./startup.js";
import { medianRun } from "./stats.js";
import { measureTelegramPacing } from "./telegram-pacing.js";

/**
 * `npm run bench`: the whole turn pipeline on PGlite, and on PostgreSQL when BENCH_DATABASE_URL
 * is set (a server where the user may create databases; each run creates its own and drops
 * them). BENCH_QUICK=1 runs smaller cases once, for a first look; BENCH_FULL=1 adds the 5,000
 * residents closed loop on PGlite (about five minutes on its own). Not part of `npm test`.
 */
const quick = process.env.BENCH_QUICK === "1";
const full = process.env.BENCH_FULL === "1";
const closed = (residents: number, runs: number) => ({ residents, runs: quick ? 1 : runs });
const settings = {
  quick,
  full,
  /** Runs per case; the table shows the median run (by throughput, or by p99 for open loop). */
  runs: quick ? 1 : 3,
  /**
   * Residents at once, and runs (the table shows the median run). The largest is the memory
   * case, run once; so is PGlite's 1,000 (about half a minute a run).
   */
  closedLoop: {
    postgres: quick
      ? [closed(100, 1), closed(1000, 1)]
      : [closed(100, 3), closed(1000, 3), closed(5000, 1)],
    pglite: [closed(100, 2), closed(1000, 1), ...(full ? [closed(5000, 1)] : [])],
  },
  openLoopRates: {
    postgres: quick ? [200, 500] : [200, 500, 1000, 1500, 2000],
    pglite: quick ? [100, 200] : [100, 200, 500, 1000],
  },
  burstResidents: 100,
  ceilingTransactions: quick ? 1000 : 3000,
  /** Requests in flight for the ceiling, as residents at once in the closed loop. */
  ceilingInFlight: 50,
  telegram: { chats: 100, perChat: 3 },
  broadcastResidents: Number(process.env.BENCH_BROADCAST_RESIDENTS ?? (quick ? 10_000 : 100_000)),
  startupRuns: quick ? 1 : 3,
};
/** Open loop tries faster rates until one is not held: its median p99 is this or more. */
const heldP99Ms = 100;

const rows: Row[] = [];
const figures: Record<string, unknown> = {};
const started = performance.now();

// PostgreSQL first: PGlite's WebAssembly memory stays in this process and would inflate peak RSS.
for (const driver of benchDrivers().reverse()) figures[driver] = await benchDriver(driver);

const startup = await measureStartup(settings.startupRuns);
figures.startup = startup;
rows.push({
  database: "pglite",
  case: "start-up to /readyz 200, existing data folder",
  note: `${startup.startSeconds.toFixed(2)} s (first start, empty folder: ${startup.firstStartSeconds.toFixed(2)} s)`,
});
await dropBenchDatabases();

printTable(rows);
const minutes = (performance.now() - started) / 60_000;
const path = writeResults({
  at: new Date().toISOString(),
  machine: machine(await serverVersion()),
  settings,
  minutes,
  figures,
  table: rows,
});
console.log(`${minutes.toFixed(1)} minutes; figures in ${path}`);

async function benchDriver(driver: Driver): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const database = await benchDatabase(driver);
  const core = await benchCore(database);
  const expected = await referenceReplies(core);
  await closedLoop(core, 50, expected); // warm-up: JIT, prepared statements, caches

  await settle(database);
  const ceilings = [];
  for (let run = 0; run < settings.runs; run++) {
    ceilings.push(
      await bareTurnCeiling(database, settings.ceilingTransactions, settings.ceilingInFlight),
    );
  }
  const ceiling = medianRun(ceilings, (c) => c.transactionsPerSecond);
  out.ceiling = ceilings;
  rows.push({
    database: driver,
    case: `bare turn transaction (ceiling, ${settings.ceilingInFlight} in flight)`,
    rate: ceiling.transactionsPerSecond,
    ceiling: 1,
  });
  const ofCeiling = (rate: number) => rate / ceiling.transactionsPerSecond;

  for (const { residents, runs: count } of settings.closedLoop[driver]) {
    await settle(database);
    const runs = [];
    for (let run = 0; run < count; run++) runs.push(await closedLoop(core, residents, expected));
    const median = medianRun(runs, (r) => r.turnsPerSecond);
    out[`closedLoop${residents}`] = runs;
    rows.push({
      database: driver,
      case: `closed loop, ${residents} residents at once`,
      rate: median.turnsPerSecond,
      p50: median.p50Ms,
      p95: median.p95Ms,
      p99: median.p99Ms,
      ceiling: ofCeiling(median.turnsPerSecond),
      correct: `${median.correct}/${median.residents}`,
      rss: median.peakRssMb,
      note: `${count} run${count > 1 ? "s" : ""}`,
    });
  }

  let held = 0;
  const open = [];
  for (const rate of settings.openLoopRates[driver]) {
    await settle(database);
    const runs = [];
    for (let run = 0; run < settings.runs; run++) runs.push(await openLoop(core, rate, expected));
    const median = medianRun(runs, (r) => r.p99Ms);
    open.push(runs);
    rows.push({
      database: driver,
      case: `open loop, ${rate} messages/s arriving`,
      rate,
      p50: median.p50Ms,
      p95: median.p95Ms,
      p99: median.p99Ms,
      ceiling: ofCeiling(rate),
      correct: `${median.correct}/${median.residents}`,
    });
    if (median.p99Ms >= heldP99Ms) break;
    held = rate;
  }
  out.openLoop = open;
  out.openLoopHeld = held;
  rows.push({
    database: driver,
    case: `open loop, highest rate held with p99 < ${heldP99Ms} ms`,
    rate: held,
    ceiling: ofCeiling(held),
  });

  for (const path of ["receive", "accept"] as const) {
    const result = await bursts(core, settings.burstResidents, path, expected);
    out[`bursts${path}`] = result;
    rows.push({
      database: driver,
      case: `bursts of 2–3 messages (${path})`,
      correct: `${result.correct}/${result.residents}`,
    });
  }

  const pacing = await measureTelegramPacing(
    database,
    settings.telegram.chats,
    settings.telegram.perChat,
  );
  out.telegramPacing = pacing;
  rows.push({
    database: driver,
    case: `Telegram pacing, ${pacing.messages} messages, fake Bot API (30/s, 1/s per chat)`,
    rate: pacing.measuredPerSecond,
    note: `${(pacing.deviation * 100).toFixed(1)} % from ${pacing.configuredPerSecond}/s, ${pacing.tooManyRequests} × 429`,
  });
  await core.close();
  await database.close();

  const broadcastDatabase = await benchDatabase(driver);
  const broadcast = await measureBroadcast(broadcastDatabase, settings.broadcastResidents);
  await broadcastDatabase.close();
  out.broadcast = broadcast;
  rows.push({
    database: driver,
    case: `announcement to ${broadcast.residents} residents: fan-out`,
    note: `${broadcast.fanOutSeconds.toFixed(1)} s`,
  });
  rows.push({
    database: driver,
    case: "announcement: drain, null channel, no pacing",
    rate: broadcast.drainPerSecond,
  });
  return out;
}
