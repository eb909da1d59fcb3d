import { z } from "zod";
import { vulnerableGroupIds } from "../../domain/groups.js";
import {
  createProgramme,
  findManagedProgramme,
  listManagedProgrammes,
  type ManagedProgramme,
  type ProgrammeChange,
  programmeCategoryIds,
  programmeCodePattern,
  programmeStatuses,
  updateProgramme,
} from "../../domain/manage/programmes.js";
import { endpoint } from "../endpoint.js";
import { ApiError, notFound } from "../errors.js";
import { page, pageOf, pageQuery } from "../pagination.js";
import { idParams } from "../params.js";

const tag = "Programmes";

const programme = z.object({
  id: z.number(),
  code: z.string(),
  title: z.string(),
  category: z.string(),
  organisationId: z.number(),
  organisationName: z.string(),
  description: z.string(),
  place: z.string(),
  kelurahanCode: z.string().nullable(),
  capacity: z.number(),
  seatsTaken: z.number(),
  waitlistCount: z.number(),
  targetGroups: z.array(z.string()),
  requirements: z.string(),
  accessibilityNotes: z.string(),
  keywords: z.array(z.string()),
  status: z.enum(programmeStatuses),
  nextSessionAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

const text = (max: number) => z.string().trim().max(max);

/** Every field a programme has; the create body gives the optional ones defaults. */
const fields = {
  code: z.string().trim().toUpperCase().regex(programmeCodePattern, {
    error: "expected 3 to 12 letters or digits starting with a letter, e.g. MJH03",
  }),
  title: z.string().trim().min(1).max(200),
  category: z.enum(programmeCategoryIds),
  description: text(2000),
  place: text(300),
  kelurahanCode: z.string().nullable().describe("A kelurahan's Kemendagri code"),
  capacity: z.number().int().min(1).max(10_000),
  targetGroups: z.array(z.enum(vulnerableGroupIds)),
  requirements: text(1000),
  accessibilityNotes: text(1000),
  keywords: z.array(z.string().trim().toLowerCase().min(1).max(100)).max(20),
  status: z.enum(programmeStatuses),
};

const createBody = z.object({
  ...fields,
  description: fields.description.default(""),
  place: fields.place.default(""),
  kelurahanCode: fields.kelurahanCode.default(null),
  targetGroups: fields.targetGroups.default([]),
  requirements: fields.requirements.default(""),
  accessibilityNotes: fields.accessibilityNotes.default(""),
  keywords: fields.keywords.default([]),
  status: fields.status.default("draft"),
});

const updateBody = z.object(fields).partial();

function toJson(row: ManagedProgramme): z.input<typeof programme> {
  return {
    ...row,
    nextSessionAt: row.nextSessionAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A refused change as the API answers it, naming the field. */
function refused(change: Exclude<ProgrammeChange, { result: "saved" }>): ApiError {
  if (change.result === "not_found") return notFound("programme");
  const field = `body.${change.field}`;
  switch (change.reason) {
    case "code_taken":
      return new ApiError(409, "conflict", "code is already used by another programme", field);
    case "below_seats_taken":
      return new ApiError(
        409,
        "conflict",
        `capacity cannot be below the ${change.seatsTaken} seats already taken`,
        field,
      );
    case "unknown_kelurahan":
      return new ApiError(400, "invalid_request", "no kelurahan has this code", field);
    case "unknown_organisation":
      return new ApiError(400, "invalid_request", "no organisation has this id", field);
  }
}

async function found(...input: Parameters<typeof findManagedProgramme>) {
  const row = await findManagedProgramme(...input);
  if (!row) throw notFound("programme");
  return toJson(row);
}

export const programmeEndpoints = [
  endpoint({
    method: "get",
    path: "/programmes",
    tag,
    summary: "The organisation's programmes, by code",
    query: pageQuery.extend({ status: z.enum(programmeStatuses).optional() }),
    response: pageOf(programme),
    handler: async ({ caller, db, now, query }) => {
      const listed = await listManagedProgrammes(db, caller, { now, ...query });
      return page(listed.programmes.map(toJson), listed.total, query);
    },
  }),
  endpoint({
    method: "post",
    path: "/programmes",
    tag,
    summary: "Create a programme (status draft unless given)",
    body: createBody,
    response: programme,
    status: 201,
    handler: async ({ caller, db, now, body }) => {
      const saved = await createProgramme(db, caller, body, now);
      if (saved.result !== "saved") throw refused(saved);
      return found(db, caller, saved.id, now);
    },
  }),
  endpoint({
    method: "get",
    path: "/programmes/:id",
    tag,
    summary: "One programme with seats taken, waitlist and next session",
    params: idParams,
    response: programme,
    handler: async ({ caller, db, now, params }) => found(db, caller, params.id, now),
  }),
  endpoint({
    method: "patch",
    path: "/programmes/:id",
    tag,
    summary:
      "Change a programme; capacity below the seats taken is refused, more capacity offers seats to the waitlist",
    params: idParams,
    body: updateBody,
    response: programme,
    handler: async ({ caller, db, now, params, body, offerTtlMs, wakeDelivery }) => {
      const saved = await updateProgramme(db, caller, params.id, body, { now, offerTtlMs });
      if (saved.result !== "saved") throw refused(saved);
      if (saved.offered > 0) wakeDelivery();
      return found(db, caller, params.id, now);
    },
  }),
];
