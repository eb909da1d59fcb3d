import { statfsSync, writeFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";

/**
 * For test/faults/disk-full.test.ts: opens PGlite in the data folder `argv[2]`, fills its disk
 * (with the file `argv[3]`), then updates rows in place, which needs no new table space but
 * writes WAL, until the database refuses a write (when it needs its next WAL file). Prints how
 * many updates were committed and the refusal. PGlite 0.5 hangs at the next query, its event
 * loop blocked: the test kills this process there.
 */
const [folder = "", filler = ""] = process.argv.slice(2);
const rows = 20_000;
const database = await PGlite.create({ dataDir: folder });
await database.exec(`
  create table t (id int primary key, v text) with (fillfactor = 40);
  insert into t select g, repeat('x', 100) from generate_series(1, ${rows}) g;`);
const { bavail, bsize } = statfsSync(folder);
writeFileSync(filler, Buffer.alloc(bavail * bsize));
let committed = 0;
try {
  for (;;) {
    await database.query("update t set v = repeat($1, 100) where id = $2", [
      String(committed % 10),
      (committed % rows) + 1,
    ]);
    committed++;
  }
} catch (error) {
  const { code, message } = error as { code?: string; message: string };
  console.log(`refused after ${committed} updates: ${code} ${message}`);
}
await database.query("select 1");
console.log("answered again");
