import { eq } from "drizzle-orm";
import type { Db } from "../../src/db/client.js";
import {
  inboundMessages,
  organisations,
  programmeSessions,
  programmes,
} from "../../src/db/schema/index.js";
import type { ActionContext } from "../../src/domain/action.js";
import { actions } from "../../src/domain/actions.js";
import { ensureIdentity } from "../../src/domain/contacts.js";
import type { Json } from "../../src/engine/json.js";

/** Sabtu, 28 November 2026 pukul 10.00 WITA: the demo seed's MJH01 starts on Senin, 30 November. */
export const now = new Date("2026-11-28T02:00:00Z");

export interface Resident {
  contactId: number;
  identityId: number;
  /** The message the resident wrote, which actions' replies answer. */
  inboundId: number;
}

/** A resident who wrote once on the simulator channel. */
export async function resident(db: Db, externalId: string, at = now): Promise<Resident> {
  return withMessage(
    db,
    await ensureIdentity(db, { channel: "simulator", externalId, now: at }),
    at,
  );
}

/** The identity with one message stored from it, as the pipeline does before a turn. */
export async function withMessage(
  db: Db,
  identity: { contactId: number; identityId: number },
  at = now,
): Promise<Resident> {
  const [inbound] = await db
    .insert(inboundMessages)
    .values({
      channel: "simulator",
      externalId: `pesan-${identity.identityId}-${at.getTime()}-${Math.random()}`,
      identityId: identity.identityId,
      contactId: identity.contactId,
      kind: "text",
      text: "halo",
      receivedAt: at,
    })
    .returning({ id: inboundMessages.id });
  return { contactId: identity.contactId, identityId: identity.identityId, inboundId: inbound!.id };
}

export function contextFor(db: Db, who: Resident, at = now): ActionContext {
  return {
    tx: db,
    contactId: who.contactId,
    identityId: who.identityId,
    inboundId: who.inboundId,
    channel: "simulator",
    now: at,
    organisationName: "Dinas Sosial Kota Balikpapan",
    offerTtlMs: 24 * 3_600_000,
  };
}

/** Runs a named action the way the engine does: args validated by its schema first. */
export async function runAction(
  name: string,
  context: ActionContext,
  args: Record<string, unknown> = {},
): Promise<Record<string, Json>> {
  const action = actions[name];
  if (!action) throw new Error(`no action ${name}`);
  const result = await action.run(context, action.args.parse(args));
  if (result === null || typeof result !== "object" || Array.isArray(result)) {
    throw new Error(`${name} returned ${JSON.stringify(result)}`);
  }
  return result;
}

export async function programmeIdOf(db: Db, code: string): Promise<number> {
  const [row] = await db
    .select({ id: programmes.id })
    .from(programmes)
    .where(eq(programmes.code, code));
  if (!row) throw new Error(`no programme ${code}`);
  return row.id;
}

/** An open programme of the first organisation with the given capacity and session starts. */
export async function addProgramme(
  db: Db,
  values: { code: string; title: string; capacity: number; sessions?: Date[] },
): Promise<number> {
  const [organisation] = await db.select({ id: organisations.id }).from(organisations).limit(1);
  if (!organisation) throw new Error("seed the demo organisations first");
  const [programme] = await db
    .insert(programmes)
    .values({
      organisationId: organisation.id,
      code: values.code,
      title: values.title,
      category: "lainnya",
      capacity: values.capacity,
      place: "Balai Warga RT 05",
      status: "open",
    })
    .returning({ id: programmes.id });
  if (!programme) throw new Error("programme was not inserted");
  for (const startsAt of values.sessions ?? []) {
    await db.insert(programmeSessions).values({
      programmeId: programme.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3 * 3_600_000),
    });
  }
  return programme.id;
}
