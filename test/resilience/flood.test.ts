import { count, eq, isNull, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import type { InboundMessage } from "../../src/channels/contract.js";
import { inboundMessages, outboxMessages } from "../../src/db/schema/index.js";
import { slowDownNotice } from "../../src/inbound/pace.js";
import { coreForTests, simulatorText } from "../support/core.js";
import { describeEachDatabase } from "../support/database.js";
import { telegramNow } from "../telegram/support.js";

const chatter = ["halo", "p", "tes", "1", "halo min", "??", "jadwal", "woi", "bls dong", "2"];
/** A resident who chats normally: the same words whoever says them, flood or not. */
const conversation = ["halo", "setuju", "jadwal"];

/** The resident's `index`-th message, sent `atMs` after the test clock. */
function message(senderId: string, index: number, text: string, atMs: number): InboundMessage {
  return simulatorText(
    senderId,
    `${senderId}-${index}`,
    text,
    new Date(telegramNow.getTime() + atMs),
  );
}

describeEachDatabase("one resident sending 100 messages in 10 seconds", (database) => {
  const core = coreForTests(database);

  /** The conversation, each message after the replies to the one before. */
  async function converse(senderId: string): Promise<string[][]> {
    const replies: string[][] = [];
    for (const [index, text] of conversation.entries()) {
      const turn = await core().pipeline.receive(message(senderId, index, text, 0));
      replies.push(turn.replies.map((reply) => reply.text));
    }
    return replies;
  }

  it("answers the first twenty, says once to slow down, keeps all 100, and does not hold up others", async () => {
    // The flood arrives all at once, a message every 100 ms of the resident's clock.
    const flood = Array.from({ length: 100 }, (_, i) =>
      core().pipeline.receive(message("banjir", i, chatter[i % chatter.length]!, i * 100)),
    );
    let floodDone = false;
    const floodFinished = Promise.all(flood).then((turns) => {
      floodDone = true;
      return turns;
    });
    // Another resident writes after the whole flood came in, and is answered before its end.
    const duringFlood = await converse("tetangga");
    expect(floodDone).toBe(false);

    const turns = await floodFinished;
    for (const turn of turns.slice(0, 20)) expect(turn.replies.length).toBeGreaterThan(0);
    expect(turns[20]?.replies).toEqual([slowDownNotice]);
    expect(turns.slice(21).every((turn) => turn.replies.length === 0)).toBe(true);

    const db = core().database.db;
    const [unprocessed] = await db
      .select({ n: count() })
      .from(inboundMessages)
      .where(isNull(inboundMessages.processedAt));
    expect(unprocessed?.n).toBe(0);
    const stored = await db
      .select({ text: inboundMessages.text })
      .from(inboundMessages)
      .where(eq(inboundMessages.externalId, "banjir-99"));
    expect(stored).toEqual([{ text: chatter[9] }]);
    const notices = await db
      .select({ n: count() })
      .from(outboxMessages)
      .where(sql`${outboxMessages.payload}->>'text' = ${slowDownNotice.text}`);
    expect(notices[0]?.n).toBe(1);

    // The neighbour's conversation went exactly as it goes on a quiet day.
    expect(duringFlood).toEqual(await converse("tetangga-hari-tenang"));
    expect(duringFlood.flat()).not.toContain(slowDownNotice.text);

    // Once twenty messages no longer fit in ten seconds, the resident is answered again.
    const after = await core().pipeline.receive(message("banjir", 100, "halo", 8_000 + 10_000));
    expect(after.replies.length).toBeGreaterThan(0);
    expect(after.replies).not.toContainEqual(slowDownNotice);
  });
});
