/**
 * What one turn costs, for profiling (not part of `npm run bench`): a warm-up, then the closed
 * loop with `residents` at once, printing turns/s, Node CPU ms per turn and, on PostgreSQL,
 * the statements (Execute and Query messages on the wire), socket writes and the database
 * server's CPU ms (its backends for this database, from /proc: same machine only) per turn.
 *   npx tsx bench/turn-cost.ts [residents=1000] [rounds=1]     # PGlite in memory
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/turn-cost.ts 1000
 *   node --cpu-prof --import tsx bench/turn-cost.ts 1000       # and open the .cpuprofile
 */
import { readFileSync } from "node:fs";
import { Socket } from "node:net";
import { sql } from "drizzle-orm";
import type { Database } from "../src/db/client.js";
import { numberOf, rowsOf } from "../src/db/sql-rows.js";
import { closedLoop } from "./closed-loop.js";
import { benchDatabase, benchDrivers, dropBenchDatabases } from "./database.js";
import { benchCore, referenceReplies } from "./residents.js";

const residents = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 1);

/** PostgreSQL frontend messages written so far, by type: one byte and a length each. */
const written = { statements: 0, writes: 0 };
const write = Socket.prototype.write as (this: Socket, ...args: unknown[]) => boolean;
Socket.prototype.write = function (this: Socket, ...args: unknown[]) {
  const chunk = args[0];
  if (Buffer.isBuffer(chunk)) {
    written.writes++;
    for (let at = 0; at + 5 <= chunk.length; at += 1 + chunk.readInt32BE(at + 1)) {
      const type = String.fromCharCode(chunk[at] ?? 0);
      if (type === "E" || type === "Q") written.statements++;
    }
  }
  return write.apply(this, args);
} as typeof Socket.prototype.write;

/** CPU ms the server's backends for this database used so far; 0 on PGlite (in this process). */
async function serverCpuMs(database: Database): Promise<number> {
  if (database.driver !== "postgres") return 0;
  const backends = rowsOf(
    await database.db.execute(
      sql`select pid from pg_stat_activity where datname = current_database()`,
    ),
  );
  let ticks = 0;
  for (const { pid } of backends) {
    const fields = readFileSync(`/proc/${numberOf(pid)}/stat`, "utf8")
      .split(") ")[1]
      ?.split(" ");
    ticks += Number(fields?.[11]) + Number(fields?.[12]); // utime, stime
  }
  return ticks * 10; // 100 ticks a second
}

const driver = benchDrivers().at(-1) ?? "pglite";
const database = await benchDatabase(driver);
const core = await benchCore(database);
const expected = await referenceReplies(core);
await closedLoop(core, 50, expected);
for (let round = 0; round < rounds; round++) {
  const before = { ...written };
  const cpu = process.cpuUsage();
  const server = await serverCpuMs(database);
  const figures = await closedLoop(core, residents, expected);
  const used = process.cpuUsage(cpu);
  const serverUsed = (await serverCpuMs(database)) - server;
  const per = (n: number) => (n / figures.turns).toFixed(2);
  console.log(
    `${driver} U=${residents}: ${figures.turnsPerSecond.toFixed(0)} turns/s, ` +
      `p50 ${figures.p50Ms.toFixed(1)} ms, p99 ${figures.p99Ms.toFixed(1)} ms, ` +
      `CPU ${per((used.user + used.system) / 1000)} ms/turn, server CPU ${per(serverUsed)} ms/turn, ` +
      `statements ${per(written.statements - before.statements)}/turn, ` +
      `writes ${per(written.writes - before.writes)}/turn, ` +
      `correct ${figures.correct}/${figures.residents}, RSS ${figures.peakRssMb.toFixed(0)} MB`,
  );
}
await core.close();
await database.close();
await dropBenchDatabases();
