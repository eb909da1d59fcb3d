import type { Db } from "../db/client.js";
import type { ClaimedMessage } from "./claim.js";
import { recordSent, type SentMessage } from "./outcomes.js";

/** Most rows recorded in one statement. */
const maxPerStatement = 500;

interface Waiting extends SentMessage {
  done: (recorded: boolean) => void;
  fail: (error: unknown) => void;
}

/**
 * Records successful sends as they come, grouped: the first send is written at once, and the
 * sends that finish while a write is under way are written together by the next one. A slow,
 * paced channel gets each send recorded right after it (few sent-but-unrecorded rows if the
 * process dies); a fast one gets one commit per group instead of one per row.
 */
export function createSentRecorder(db: Db, workerId: string) {
  let queue: Waiting[] = [];
  let writing = false;

  async function write(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      const group = queue.slice(0, maxPerStatement);
      queue = queue.slice(maxPerStatement);
      try {
        const recorded = await recordSent(db, workerId, group);
        for (const item of group) item.done(recorded.has(item.claim.id));
      } catch (error) {
        for (const item of group) item.fail(error);
      }
    }
    writing = false;
  }

  return {
    /** Resolves true once recorded; false when the lease was no longer this worker's. */
    record(claim: ClaimedMessage, platformMessageId: string, sentAt: Date): Promise<boolean> {
      return new Promise((done, fail) => {
        queue.push({ claim, platformMessageId, sentAt, done, fail });
        if (!writing) void write();
      });
    },
  };
}
