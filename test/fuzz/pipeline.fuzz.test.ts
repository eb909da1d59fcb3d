import fc from "fast-check";
import { expect, it } from "vitest";
import { coreForTests, simulatorText } from "../support/core.js";
import { describeEachDatabase } from "../support/database.js";
import { fuzzRuns, residentText } from "./arbitraries.js";

describeEachDatabase("the real pipeline fed fuzzed conversations", (database) => {
  const core = coreForTests(database);
  let resident = 0;

  it("answers every message of every resident, kindly, without the apology for a failure", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(residentText, { minLength: 1, maxLength: 5 }), async (texts) => {
        resident += 1;
        for (const [i, text] of texts.entries()) {
          const result = await core().pipeline.receive(
            simulatorText(`fuzz-${resident}`, `fuzz-${resident}-${i}`, text),
          );
          expect(result.status).toBe("processed");
          expect(result.replies.length).toBeGreaterThan(0);
          for (const reply of result.replies) {
            expect(reply.text.trim()).not.toBe("");
            expect(reply.text).not.toContain("sedang ada gangguan");
          }
        }
      }),
      fuzzRuns(6),
    );
  });
});
