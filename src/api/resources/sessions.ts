import { z } from "zod";
import type { Db } from "../../db/client.js";
import { findManagedProgramme } from "../../domain/manage/programmes.js";
import {
  addSession,
  cancelSession,
  findManagedSession,
  listSessions,
  type ManagedSession,
  moveSession,
  type SessionChange,
} from "../../domain/manage/sessions.js";
import type { Staff } from "../../staff/principal.js";
import { endpoint } from "../endpoint.js";
import { ApiError, notFound } from "../errors.js";
import { idParams } from "../params.js";

const tag = "Sessions";

const session = z.object({
  id: z.number(),
  programmeId: z.number(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  place: z.string().describe("Empty: the programme's place"),
  whatToBring: z.string(),
  status: z.enum(["scheduled", "cancelled"]),
  rsvpYes: z.number().describe("Residents who answered HADIR to a reminder"),
  rsvpNo: z.number(),
  attended: z.number().describe("Residents marked present by staff"),
});

const changed = z.object({
  session,
  notified: z.number().describe("Residents told of the change through their channel"),
});

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const text = z.string().trim().max(300);

const createBody = z.object({
  startsAt: instant,
  endsAt: instant,
  place: text.default(""),
  whatToBring: text.default(""),
});

const moveBody = z.object({
  startsAt: instant.optional(),
  endsAt: instant.optional().describe("Defaults to the new start plus the session's length"),
  place: text.optional(),
  whatToBring: text.optional(),
});

function toJson(row: ManagedSession): z.input<typeof session> {
  return {
    ...row,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
  };
}

async function found(db: Db, caller: Staff, id: number) {
  const row = await findManagedSession(db, caller, id);
  if (!row) throw notFound("session");
  return toJson(row);
}

function refused(change: Exclude<SessionChange, { result: "saved" }>, what: string): ApiError {
  if (change.result === "not_found") return notFound(what);
  const message = {
    in_past: "the session must start in the future",
    ends_before_start: "the session must end after it starts",
    cancelled: "a cancelled session cannot be moved",
  }[change.reason];
  if (change.reason === "cancelled") return new ApiError(409, "conflict", message, "params.id");
  return new ApiError(400, "invalid_request", message, `body.${change.field}`);
}

export const sessionEndpoints = [
  endpoint({
    method: "get",
    path: "/programmes/:id/sessions",
    tag,
    summary: "The programme's sessions in time order, with RSVP and attendance counts",
    params: idParams,
    response: z.object({ data: z.array(session) }),
    handler: async ({ caller, db, now, params }) => {
      if (!(await findManagedProgramme(db, caller, params.id, now))) throw notFound("programme");
      return { data: (await listSessions(db, caller, params.id)).map(toJson) };
    },
  }),
  endpoint({
    method: "post",
    path: "/programmes/:id/sessions",
    tag,
    summary: "Add a session; reminders are queued by the minute sweep",
    params: idParams,
    body: createBody,
    response: session,
    status: 201,
    handler: async ({ caller, db, now, params, body }) => {
      const saved = await addSession(db, caller, params.id, body, now);
      if (saved.result !== "saved") throw refused(saved, "programme");
      return found(db, caller, saved.id);
    },
  }),
  endpoint({
    method: "patch",
    path: "/sessions/:id",
    tag,
    summary: "Move a session; residents holding a seat are told the new time",
    params: idParams,
    body: moveBody,
    response: changed,
    handler: async ({ caller, db, now, params, body, wakeDelivery }) => {
      const current = await findManagedSession(db, caller, params.id);
      if (!current) throw notFound("session");
      const startsAt = body.startsAt ?? current.startsAt;
      const length = current.endsAt.getTime() - current.startsAt.getTime();
      const moved = await moveSession(
        db,
        caller,
        params.id,
        {
          startsAt,
          endsAt: body.endsAt ?? new Date(startsAt.getTime() + length),
          place: body.place ?? current.place,
          whatToBring: body.whatToBring ?? current.whatToBring,
        },
        now,
      );
      if (moved.result !== "saved") throw refused(moved, "session");
      wakeDelivery();
      return { session: await found(db, caller, params.id), notified: moved.notified };
    },
  }),
  endpoint({
    method: "post",
    path: "/sessions/:id/cancel",
    tag,
    summary: "Cancel a session; residents holding a seat are told",
    params: idParams,
    response: changed,
    handler: async ({ caller, db, now, params, wakeDelivery }) => {
      const cancelled = await cancelSession(db, caller, params.id, now);
      if (cancelled.result !== "saved") throw refused(cancelled, "session");
      wakeDelivery();
      return { session: await found(db, caller, params.id), notified: cancelled.notified };
    },
  }),
];
