import type { Core } from "../src/core.js";
import { type Correctness, checkGroup, ResidentGroup } from "./residents.js";

/** The conversation in bursts: messages 0–1, 2–4, 5–6, 7–8, 9–10 each sent without waiting. */
const burstEnds = [2, 5, 7, 9, 11];
let runs = 0;

/**
 * Bursts: every resident sends two or three messages at once, without waiting for replies, then waits for them, and
 * so on; `path` is `receive` (chat channels) or `accept` (webhooks: stored, answered, processed
 * after). Correct means every message processed once, in order: exactly the expected replies.
 */
export async function bursts(
  core: Core,
  count: number,
  path: "receive" | "accept",
  expected: readonly string[],
): Promise<Correctness> {
  const group = new ResidentGroup(`burst${++runs}${path}x${count}`, count);
  type Message = Parameters<Core["pipeline"]["receive"]>[0];
  /** As the channels call it: receive all at once; accept one after the other (a webhook). */
  const sendBurst = async (burst: Message[]) => {
    if (path === "receive") {
      await Promise.all(burst.map((message) => core.pipeline.receive(message)));
      return;
    }
    const processing: Promise<void>[] = [];
    for (const message of burst) {
      const accepted = await core.pipeline.accept(message);
      if (accepted.status === "stored") processing.push(accepted.processed);
    }
    await Promise.all(processing);
  };
  await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const messages = group.messages(index);
      let start = 0;
      for (const end of burstEnds) {
        await sendBurst(messages.slice(start, end));
        start = end;
      }
    }),
  );
  return checkGroup(core.database, group, expected);
}
