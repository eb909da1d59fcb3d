import { eq } from "drizzle-orm";
import type { ChannelName } from "../../src/channels/contract.js";
import type { Db } from "../../src/db/client.js";
import { contacts, programmes, registrations } from "../../src/db/schema/index.js";
import { ensureIdentity } from "../../src/domain/contacts.js";
import { now } from "../domain/fixtures.js";

/** Balikpapan Timur, Manggar (seeded areas). */
export const timur = "64.71.01";
export const manggar = "64.71.01.1001";

/** A clock that starts at the fixture's Saturday 10.00 WITA (outside quiet hours) and runs. */
export function runningClock(): () => Date {
  const started = Date.now();
  return () => new Date(now.getTime() + Date.now() - started);
}

export async function programmeId(db: Db, code: string): Promise<number> {
  const [row] = await db
    .select({ id: programmes.id })
    .from(programmes)
    .where(eq(programmes.code, code));
  if (!row) throw new Error(`no programme ${code}`);
  return row.id;
}

/** A consented resident who wrote once, registered in the programme. */
export async function participant(
  db: Db,
  externalId: string,
  options: { name: string; programme?: string; channel?: ChannelName; kelurahan?: string },
): Promise<number> {
  const identity = await ensureIdentity(db, {
    channel: options.channel ?? "simulator",
    externalId,
    now,
  });
  await db
    .update(contacts)
    .set({
      name: options.name,
      consentedAt: now,
      ...(options.kelurahan ? { kelurahanCode: options.kelurahan, kecamatanCode: timur } : {}),
    })
    .where(eq(contacts.id, identity.contactId));
  if (options.programme) {
    await db.insert(registrations).values({
      programmeId: await programmeId(db, options.programme),
      contactId: identity.contactId,
      status: "registered",
    });
  }
  return identity.contactId;
}

/** Polls `read` until `done` holds, at most `tries` times 50 ms apart (delivery is asynchronous). */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  tries = 100,
): Promise<T> {
  let value = await read();
  for (let i = 0; i < tries && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}
