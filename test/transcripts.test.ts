import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { describeEachDriver, freshDatabase } from "./support/database.js";
import { playTranscript } from "./transcripts/run.js";

/**
 * Golden transcripts: whole conversations in test/transcripts/*.txt, played through the real
 * pipeline on a fresh database with a fixed clock. `npm run transcripts:update` rewrites the
 * files from what Berdaya says now (on PGlite); read the diff before committing it.
 */
const folder = new URL("./transcripts/", import.meta.url).pathname;
const files = readdirSync(folder)
  .filter((file) => file.endsWith(".txt"))
  .sort();
const updating = process.env.TRANSCRIPTS_UPDATE === "1";

describeEachDriver("golden transcripts", (driver) => {
  it.each(files)(
    "%s",
    async (file) => {
      const source = readFileSync(join(folder, file), "utf8");
      const scenarioDatabase = await freshDatabase(driver);
      try {
        const played = await playTranscript(source, scenarioDatabase);
        if (updating && driver === "pglite") writeFileSync(join(folder, file), played);
        else expect(played).toBe(source);
      } finally {
        await scenarioDatabase.close();
      }
    },
    60_000,
  );
});
