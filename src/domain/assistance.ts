import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { assistanceRequests } from "../db/schema/index.js";

export const assistanceReasons = ["petugas", "pesan_suara", "kekerasan"] as const;
export type AssistanceReason = (typeof assistanceReasons)[number];

/**
 * Asks for a person: the resident asked for a petugas, sent a voice note the bot cannot read,
 * or reported violence. One request per resident and reason that is still open or in progress
 * is enough; asking again does not add another. Turns of one resident never run at the same
 * time (the pipeline locks the contact), so check-then-insert is safe here.
 */
export async function requestAssistance(
  db: Db,
  input: { contactId: number; reason: AssistanceReason; now: Date },
): Promise<{ created: boolean }> {
  const [open] = await db
    .select({ id: assistanceRequests.id })
    .from(assistanceRequests)
    .where(
      and(
        eq(assistanceRequests.contactId, input.contactId),
        eq(assistanceRequests.reason, input.reason),
        inArray(assistanceRequests.status, ["open", "in_progress"]),
      ),
    )
    .limit(1);
  if (open) return { created: false };
  await db
    .insert(assistanceRequests)
    .values({ contactId: input.contactId, reason: input.reason, createdAt: input.now });
  return { created: true };
}
