import { z } from "zod";
import { channelNames, outboxStatuses } from "../../db/schema/index.js";
import {
  AnnouncementError,
  announce,
  broadcastOrganisation,
  previewAnnouncement,
} from "../../domain/announcements.js";
import {
  broadcastAudienceSchema,
  broadcastProgress,
  broadcastRecipients,
  cancelBroadcast,
  findBroadcast,
} from "../../domain/broadcasts/index.js";
import { listBroadcasts } from "../../domain/broadcasts/list.js";
import type { Staff } from "../../staff/principal.js";
import { endpoint } from "../endpoint.js";
import { ApiError, notFound } from "../errors.js";
import { page, pageOf, pageQuery } from "../pagination.js";
import { idParams } from "../params.js";

const tag = "Broadcasts";
const broadcastStatus = z.enum(["draft", "scheduled", "sending", "done", "cancelled"]);

const audience = broadcastAudienceSchema.describe(
  "Who receives it; every field narrows, an empty list does not filter. With a staff token the audience is always the participants of the organisation's programmes: without programmeId or registrationStatuses it means the registered participants of any of them.",
);

const progress = z.object({
  queued: z.number(),
  sent: z.number(),
  failed: z.number(),
  unreachable: z.number(),
  cancelled: z.number(),
  total: z.number(),
  percent: z.number(),
});

const broadcastSummary = z.object({
  id: z.number(),
  title: z.string(),
  text: z.string(),
  audience: z.unknown(),
  status: broadcastStatus,
  scheduledAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

const recipient = z.object({
  contactId: z.number(),
  name: z.string(),
  channel: z.enum(channelNames),
  status: z.enum(outboxStatuses),
  reason: z.string().nullable().describe("Why it failed or waits (Indonesian), or null"),
  sentAt: z.iso.datetime().nullable(),
});

const newBroadcast = z.object({
  title: z.string().trim().min(1).max(120).optional().describe("Default: the first words of text"),
  text: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .describe("Placeholders {nama} and {kelurahan} are filled per resident; a stop line is added"),
  audience: audience.default({}),
  sendAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("When to send (not in the past); absent: now"),
});

/** The engine's input errors, in English for API callers. */
const englishMessages: Readonly<Record<string, string>> = {
  text: "contains an unknown placeholder; use {nama} or {kelurahan}",
  sendAt: "must not be in the past",
  "audience.programmeId": "programme not found",
  "audience.kecamatan": "unknown kecamatan code",
  "audience.kelurahan": "unknown kelurahan code",
};

async function asApiErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AnnouncementError)) throw error;
    const message = englishMessages[error.field] ?? "invalid value";
    throw new ApiError(400, "invalid_request", message, `body.${error.field}`);
  }
}

async function scopeOf(db: Parameters<typeof broadcastOrganisation>[0], caller: Staff, id: number) {
  const organisationId = await broadcastOrganisation(db, caller, id);
  if (organisationId === undefined) throw notFound("broadcast");
  return organisationId;
}

/** /broadcasts: announcements of the token's organisation (create, preview, status, cancel). */
export const broadcastEndpoints = [
  endpoint({
    method: "post",
    path: "/broadcasts/preview",
    tag,
    summary: "How many residents an audience reaches now, per channel (no names)",
    body: z.object({ audience: audience.default({}) }),
    response: z.object({
      count: z.number(),
      byChannel: z.record(z.enum(channelNames), z.number()),
    }),
    handler: async ({ body, caller, db, now }) =>
      asApiErrors(async () => {
        const preview = await previewAnnouncement(db, caller, {
          audience: body.audience,
          now,
          limits: {},
        });
        return { count: preview.count, byChannel: preview.byChannel };
      }),
  }),
  endpoint({
    method: "post",
    path: "/broadcasts",
    tag,
    summary: "Send an announcement now, or schedule it",
    body: newBroadcast,
    status: 201,
    response: z.object({
      id: z.number(),
      status: broadcastStatus,
      scheduledAt: z.iso.datetime().nullable(),
      queued: z.number().describe("Residents it was queued for (0 while scheduled)"),
    }),
    handler: async ({ body, caller, db, now, wakeDelivery }) =>
      asApiErrors(async () => {
        const result = await announce(
          db,
          caller,
          {
            title: body.title,
            text: body.text,
            audience: body.audience,
            sendAt: body.sendAt ? new Date(body.sendAt) : undefined,
          },
          now,
        );
        if (result.kind === "scheduled") {
          return {
            id: result.broadcastId,
            status: "scheduled" as const,
            scheduledAt: result.sendAt.toISOString(),
            queued: 0,
          };
        }
        wakeDelivery();
        return {
          id: result.broadcastId,
          status: result.queued > 0 ? ("sending" as const) : ("done" as const),
          scheduledAt: null,
          queued: result.queued,
        };
      }),
  }),
  endpoint({
    method: "get",
    path: "/broadcasts",
    tag,
    summary: "The organisation's announcements, newest first",
    query: pageQuery,
    response: pageOf(broadcastSummary),
    handler: async ({ query, caller, db }) => {
      const listed = await listBroadcasts(db, { organisationId: caller.organisationId, ...query });
      return page(
        listed.broadcasts.map((row) => ({
          id: row.id,
          title: row.title,
          text: row.text,
          audience: row.audience,
          status: row.status,
          scheduledAt: row.scheduledAt?.toISOString() ?? null,
          createdAt: row.createdAt.toISOString(),
        })),
        listed.total,
        query,
      );
    },
  }),
  endpoint({
    method: "get",
    path: "/broadcasts/:id",
    tag,
    summary: "One announcement with its progress",
    params: idParams,
    response: broadcastSummary.extend({ progress }),
    handler: async ({ params, caller, db }) => {
      const organisationId = await scopeOf(db, caller, params.id);
      const row = await findBroadcast(db, organisationId, params.id);
      const counts = await broadcastProgress(db, { organisationId, broadcastId: params.id });
      if (!row || !counts) throw notFound("broadcast");
      const { status, ...rest } = counts;
      return {
        id: row.id,
        title: row.title,
        text: row.text,
        audience: row.audience,
        status,
        scheduledAt: row.scheduledAt?.toISOString() ?? null,
        createdAt: row.createdAt.toISOString(),
        progress: rest,
      };
    },
  }),
  endpoint({
    method: "get",
    path: "/broadcasts/:id/recipients",
    tag,
    summary: "Who it went to, with each delivery status and failure reason",
    params: idParams,
    query: pageQuery.extend({ status: z.enum(outboxStatuses).optional() }),
    response: pageOf(recipient),
    handler: async ({ params, query, caller, db }) => {
      const organisationId = await scopeOf(db, caller, params.id);
      const found = await broadcastRecipients(db, {
        organisationId,
        broadcastId: params.id,
        limit: query.limit,
        offset: query.offset,
        ...(query.status ? { status: query.status } : {}),
      });
      if (!found) throw notFound("broadcast");
      return page(
        found.recipients.map((row) => ({
          contactId: row.contactId,
          name: row.name,
          channel: row.channel,
          status: row.status,
          reason: row.lastError,
          sentAt: row.sentAt?.toISOString() ?? null,
        })),
        found.total,
        query,
      );
    },
  }),
  endpoint({
    method: "post",
    path: "/broadcasts/:id/cancel",
    tag,
    summary: "Cancel: messages not sent yet are withdrawn",
    params: idParams,
    response: z.object({ status: z.literal("cancelled"), withdrawn: z.number() }),
    handler: async ({ params, caller, db, now }) => {
      const organisationId = await scopeOf(db, caller, params.id);
      const result = await cancelBroadcast(db, {
        organisationId,
        broadcastId: params.id,
        now,
        ...(caller.id === null ? {} : { cancelledBy: caller.id }),
      });
      if (result.kind === "not_found") throw notFound("broadcast");
      if (result.kind === "not_cancellable") {
        throw new ApiError(409, "not_cancellable", `the broadcast is already ${result.status}`);
      }
      return { status: "cancelled" as const, withdrawn: result.withdrawn };
    },
  }),
];
