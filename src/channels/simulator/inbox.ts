import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { channelIdentities, outboxMessages } from "../../db/schema/index.js";
import type { OutboundMessage } from "../contract.js";

export interface InboxMessage {
  /** The outbox row id: ask for messages after it next time. */
  id: number;
  message: OutboundMessage;
}

/**
 * What reached a simulator resident outside a turn's replies: reminders, offers, notices from
 * staff, announcements. `delivered` limits it to rows the delivery worker has sent (the web page);
 * without it, rows still waiting count too (transcripts run without a worker).
 */
export async function simulatorInbox(
  db: Db,
  request: { residentId: string; afterId: number; delivered: boolean },
): Promise<InboxMessage[]> {
  const rows = await db
    .select({ id: outboxMessages.id, payload: outboxMessages.payload })
    .from(outboxMessages)
    .innerJoin(channelIdentities, eq(channelIdentities.id, outboxMessages.identityId))
    .where(
      and(
        eq(channelIdentities.channel, "simulator"),
        eq(channelIdentities.externalId, request.residentId),
        isNull(outboxMessages.inboundId),
        gt(outboxMessages.id, request.afterId),
        request.delivered ? eq(outboxMessages.status, "sent") : undefined,
      ),
    )
    .orderBy(asc(outboxMessages.id))
    .limit(100);
  return rows.map((row) => ({ id: row.id, message: row.payload as unknown as OutboundMessage }));
}
