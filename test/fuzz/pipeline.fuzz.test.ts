import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Core, openCore } from "../../src/core.js";
import { createLogger } from "../../src/log.js";
import { describeEachDatabase } from "../support/database.js";
import { coreConfig, telegramNow } from "../telegram/support.js";
import { fuzzRuns, residentText } from "./arbitraries.js";

describeEachDatabase("the real pipeline fed fuzzed conversations", (database) => {
  let core: Core;
  let resident = 0;

  beforeAll(async () => {
    core = await openCore(coreConfig(), createLogger("silent"), {
      database: database(),
      clock: () => telegramNow,
    });
  });
  afterAll(async () => {
    await core?.close();
  });

  it("answers every message of every resident, kindly, without the apology for a failure", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(residentText, { minLength: 1, maxLength: 5 }), async (texts) => {
        resident += 1;
        for (const [i, text] of texts.entries()) {
          const result = await core.pipeline.receive({
            channel: "simulator",
            externalId: `fuzz-${resident}-${i}`,
            senderId: `fuzz-${resident}`,
            receivedAt: telegramNow,
            content: { kind: "text", text },
          });
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
