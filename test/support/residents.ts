/** Residents for console and API tests: made directly in the database, as the bot would. */
import { eq } from "drizzle-orm";
import type { ChannelName } from "../../src/channels/contract.js";
import type { Db } from "../../src/db/client.js";
import { contacts, mediaFiles, needReports, registrations } from "../../src/db/schema/index.js";
import { ensureIdentity, recordConsent } from "../../src/domain/contacts.js";
import { storeMedia } from "../../src/domain/media.js";
import { createNeed } from "../../src/domain/needs.js";
import { now, programmeIdOf, resident } from "../domain/fixtures.js";

/** Balikpapan Timur, Manggar (seeded areas). */
export const timur = "64.71.01";
export const manggar = "64.71.01.1001";

/** A clock that starts at the fixture's Saturday 10.00 WITA (outside quiet hours) and runs. */
export function runningClock(): () => Date {
  const started = Date.now();
  return () => new Date(now.getTime() + Date.now() - started);
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
  if (options.programme) await registerIn(db, identity.contactId, options.programme, now);
  return identity.contactId;
}

/** A resident who wrote once, consented and has a profile (name, phone, area). */
export async function residentWithProfile(
  db: Db,
  externalId: string,
  profile: { name: string; phone?: string; consentText?: string },
  now: Date,
) {
  const who = await resident(db, externalId, now);
  await recordConsent(db, {
    contactId: who.contactId,
    channel: "simulator",
    granted: true,
    text: profile.consentText ?? "Apakah Anda setuju?",
    now,
  });
  await db
    .update(contacts)
    .set({
      name: profile.name,
      phone: profile.phone ?? null,
      kecamatanCode: "64.71.02",
      kelurahanCode: "64.71.02.1005",
    })
    .where(eq(contacts.id, who.contactId));
  return who;
}

/** Registers the resident in the programme with this code, as the bot would have. */
export async function registerIn(
  db: Db,
  contactId: number,
  code: string,
  now: Date,
): Promise<void> {
  await db.insert(registrations).values({
    programmeId: await programmeIdOf(db, code),
    contactId,
    status: "registered",
    createdAt: now,
    updatedAt: now,
  });
}

/** A need of the resident, routed to `organisationId`, with a photo of the given type. */
export async function needFor(
  db: Db,
  input: {
    contactId: number;
    organisationId: number | null;
    now: Date;
    category?: "kesehatan" | "pangan" | "alat_bantu";
    description?: string;
    photoType?: string;
  },
): Promise<{ id: number; ticket: string; photoId: number | null }> {
  const photoId = input.photoType
    ? await storeMedia(db, {
        bytes: new Uint8Array([137, 80, 78, 71]),
        mimeType: input.photoType,
        now: input.now,
      })
    : null;
  if (photoId !== null) {
    await db
      .update(mediaFiles)
      .set({ contactId: input.contactId })
      .where(eq(mediaFiles.id, photoId));
  }
  const need = await createNeed(db, {
    contactId: input.contactId,
    category: input.category ?? "kesehatan",
    description: input.description ?? "Butuh bantuan",
    photoMediaId: photoId,
    kecamatan: "64.71.02",
    kelurahan: "64.71.02.1005",
    now: input.now,
  });
  await db
    .update(needReports)
    .set({ assignedOrganisationId: input.organisationId })
    .where(eq(needReports.id, need.id));
  return { ...need, photoId };
}
