import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { channelIdentities } from "../../db/schema/index.js";

/**
 * Records that the resident blocked the bot (`reachable` false: `unreachable_at = now`, so no
 * announcement is queued for this chat) or unblocked it (cleared). A chat Berdaya never talked
 * to has no identity, and nothing changes. A message from the chat clears it too (the pipeline).
 */
export async function setReachability(
  db: Db,
  input: { chatId: string; reachable: boolean; now: Date },
): Promise<void> {
  await db
    .update(channelIdentities)
    .set({ unreachableAt: input.reachable ? null : input.now })
    .where(
      and(
        eq(channelIdentities.channel, "telegram"),
        eq(channelIdentities.externalId, input.chatId),
      ),
    );
}
