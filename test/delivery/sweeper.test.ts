import { describe, expect, it } from "vitest";
import { createSweeper } from "../../src/delivery/sweeper.js";
import { createLogger } from "../../src/log.js";

describe("sweeper", () => {
  it("runs every sweep with the clock's time, and a failing sweep does not stop the others", async () => {
    const now = new Date("2026-11-28T02:00:00Z");
    const ran: string[] = [];
    const sweeper = createSweeper({
      clock: () => now,
      log: createLogger("silent"),
      sweeps: [
        { name: "reminders", run: async (at) => ran.push(`reminders ${at.toISOString()}`) },
        {
          name: "broken",
          run: async () => {
            throw new Error("database went away");
          },
        },
        { name: "offers", run: async () => ran.push("offers") },
      ],
    });
    await sweeper.runOnce();
    expect(ran).toEqual(["reminders 2026-11-28T02:00:00.000Z", "offers"]);
    await sweeper.stop();
  });
});
