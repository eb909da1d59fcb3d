import { eq } from "drizzle-orm";
import { ZodError } from "zod";
import type { ChannelLimits } from "../channels/adapter.js";
import type { ChannelName } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { broadcasts } from "../db/schema/index.js";
import { isAdmin, mayAccess, type Staff } from "../staff/principal.js";
import {
  type BroadcastAudience,
  BroadcastInputError,
  type BroadcastPreview,
  broadcastAudienceSchema,
  createBroadcast,
  defaultRegistrationStatuses,
  previewBroadcast,
  type SendResult,
  sendBroadcast,
} from "./broadcasts/index.js";

/**
 * Announcements as staff send them, from the console and the API alike: the broadcast engine
 * (src/domain/broadcasts) with the staff member's scope applied.
 *
 * Scope: an administrator may address every consented resident; staff (and API tokens, which
 * have staff rights) only the participants of their organisation's programmes. A staff audience
 * that names neither a programme nor registration statuses therefore means the registered
 * participants of any of the organisation's programmes.
 */

export interface AnnouncementInput {
  /** Shown to staff only; the first words of the text when absent. */
  title?: string | undefined;
  text: string;
  audience: unknown;
  /** When it goes out; absent: now. */
  sendAt?: Date | undefined;
}

/** What staff got wrong, by the input's own field names (`text`, `audience.kecamatan`, `sendAt`). */
export class AnnouncementError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "AnnouncementError";
  }
}

const titleLength = 60;

/** A title from the text: its first line, cut at a word before 60 characters. */
export function titleOf(text: string): string {
  const firstLine = text.trim().split("\n")[0]?.trim() ?? "";
  if (firstLine.length <= titleLength) return firstLine || "Pengumuman";
  const cut = firstLine.slice(0, titleLength);
  const space = cut.lastIndexOf(" ");
  return `${(space > 20 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The audience `staff` may use: parsed, and for staff narrowed to their participants. */
export function audienceFor(staff: Staff, input: unknown): BroadcastAudience {
  const parsed = broadcastAudienceSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ["audience", ...(issue?.path ?? []).slice(0, 1).map(String)].join(".");
    throw new AnnouncementError(field, issue?.message ?? "tidak valid");
  }
  const audience = parsed.data;
  if (isAdmin(staff)) return audience;
  const narrowed =
    audience.programmeId !== undefined || (audience.registrationStatuses ?? []).length > 0;
  return narrowed
    ? audience
    : { ...audience, registrationStatuses: [...defaultRegistrationStatuses] };
}

/** Runs `work`, turning the engine's input errors into {@link AnnouncementError}s. */
async function checked<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BroadcastInputError) {
      throw new AnnouncementError(
        error.field === "scheduledAt" ? "sendAt" : error.field,
        error.message,
      );
    }
    if (error instanceof ZodError) {
      const issue = error.issues[0];
      const path = (issue?.path ?? []).map(String);
      const field = path[0] === "scheduledAt" ? ["sendAt", ...path.slice(1)] : path;
      throw new AnnouncementError(field.join(".") || "audience", issue?.message ?? "tidak valid");
    }
    throw error;
  }
}

/** Who it would reach now, and how long each channel takes (see `previewBroadcast`). */
export function previewAnnouncement(
  db: Db,
  staff: Staff,
  request: {
    audience: unknown;
    now: Date;
    limits: Partial<Record<ChannelName, ChannelLimits>>;
  },
): Promise<BroadcastPreview> {
  return checked(() =>
    previewBroadcast(db, {
      organisationId: staff.organisationId,
      audience: audienceFor(staff, request.audience),
      now: request.now,
      limits: request.limits,
    }),
  );
}

export type AnnounceResult =
  | { kind: "scheduled"; broadcastId: number; sendAt: Date }
  | { kind: "queued"; broadcastId: number; queued: number };

/**
 * Creates an announcement for the staff member's organisation and sends it now, or schedules it
 * (the sweep sends it at `sendAt`). Created and sent in two steps (the engine's); the engine
 * writes the audit rows. Throws an {@link AnnouncementError} for input that cannot be used,
 * e.g. a time past.
 */
export async function announce(
  db: Db,
  staff: Staff,
  input: AnnouncementInput,
  now: Date,
): Promise<AnnounceResult> {
  return checked(async () => {
    const audience = audienceFor(staff, input.audience);
    const broadcastId = await createBroadcast(db, {
      organisationId: staff.organisationId,
      ...(staff.id === null ? {} : { createdBy: staff.id }),
      title: input.title?.trim() || titleOf(input.text),
      text: input.text,
      audience,
      ...(input.sendAt ? { scheduledAt: input.sendAt } : {}),
      now,
    });
    if (input.sendAt) return { kind: "scheduled", broadcastId, sendAt: input.sendAt };
    const sent: SendResult = await sendBroadcast(db, {
      organisationId: staff.organisationId,
      broadcastId,
      now,
      ...(staff.id === null ? {} : { sentBy: staff.id }),
    });
    return { kind: "queued", broadcastId, queued: sent.kind === "queued" ? sent.queued : 0 };
  });
}

/**
 * The organisation a broadcast belongs to, if `staff` may see it: their own organisation's
 * broadcasts, every broadcast for an administrator. The engine's functions take it as scope.
 */
export async function broadcastOrganisation(
  db: Db,
  staff: Staff,
  broadcastId: number,
): Promise<number | undefined> {
  if (!Number.isSafeInteger(broadcastId) || broadcastId <= 0) return undefined;
  const [row] = await db
    .select({ organisationId: broadcasts.organisationId })
    .from(broadcasts)
    .where(eq(broadcasts.id, broadcastId));
  return row && mayAccess(staff, row.organisationId) ? row.organisationId : undefined;
}
