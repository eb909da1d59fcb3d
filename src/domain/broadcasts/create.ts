import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { broadcasts, staffUsers } from "../../db/schema/index.js";
import { BroadcastInputError, broadcastAudienceSchema, checkAudience } from "./audience.js";
import { auditBroadcast } from "./store.js";
import { broadcastTextSchema } from "./text.js";

/** What staff submit for a new announcement (the API parses its body with this). */
export const broadcastDraftSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, "Judul tidak boleh kosong")
    .max(120, "Judul paling banyak 120 karakter"),
  text: broadcastTextSchema,
  audience: broadcastAudienceSchema.default({}),
  /** When it goes out; absent: a draft, sent when staff press send. */
  scheduledAt: z.coerce.date().optional(),
});

export type BroadcastDraft = z.input<typeof broadcastDraftSchema>;

export interface CreateBroadcastRequest extends BroadcastDraft {
  organisationId: number;
  /** The staff user creating it; must belong to the organisation. */
  createdBy?: number;
  now: Date;
}

/**
 * Stores a new announcement: `draft`, or `scheduled` when it has a time (the sweep sends it
 * then). Nothing is queued yet. Throws a ZodError for malformed input and a
 * {@link BroadcastInputError} for a programme, area or staff user not found, or a time past.
 */
export async function createBroadcast(db: Db, request: CreateBroadcastRequest): Promise<number> {
  const draft = broadcastDraftSchema.parse({
    title: request.title,
    text: request.text,
    audience: request.audience,
    scheduledAt: request.scheduledAt,
  });
  const audience = await checkAudience(db, request.organisationId, draft.audience);
  if (draft.scheduledAt && draft.scheduledAt.getTime() < request.now.getTime()) {
    throw new BroadcastInputError("scheduledAt", "Waktu kirim sudah lewat");
  }
  if (request.createdBy !== undefined) {
    const [staff] = await db
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(
        and(
          eq(staffUsers.id, request.createdBy),
          eq(staffUsers.organisationId, request.organisationId),
        ),
      );
    if (!staff) throw new BroadcastInputError("createdBy", "Petugas tidak ditemukan");
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(broadcasts)
      .values({
        organisationId: request.organisationId,
        createdBy: request.createdBy ?? null,
        title: draft.title,
        text: draft.text,
        audience,
        status: draft.scheduledAt ? "scheduled" : "draft",
        scheduledAt: draft.scheduledAt ?? null,
        createdAt: request.now,
      })
      .returning({ id: broadcasts.id });
    if (!row) throw new Error("broadcast was not inserted");
    await auditBroadcast(tx, {
      organisationId: request.organisationId,
      staffUserId: request.createdBy,
      action: "broadcast.created",
      broadcastId: row.id,
      details: { scheduled: draft.scheduledAt !== undefined },
      now: request.now,
    });
    return row.id;
  });
}
