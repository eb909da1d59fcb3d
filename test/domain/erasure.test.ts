import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import {
  assistanceRequests,
  auditLog,
  channelIdentities,
  contacts,
  conversations,
  inboundMessages,
  mediaFiles,
  needReports,
  needStatusHistory,
  outboxMessages,
  registrations,
} from "../../src/db/schema/index.js";
import { seedDemo } from "../../src/db/seed.js";
import { ensureIdentity } from "../../src/domain/contacts.js";
import { enqueueMessage } from "../../src/domain/outbox.js";
import { describeEachDatabase } from "../support/database.js";
import { personalDataIn } from "../support/personal-data.js";
import { addProgramme, contextFor, now, resident, runAction, withMessage } from "./fixtures.js";

const farewell = "Data Anda sudah dihapus. Terima kasih telah menggunakan layanan ini.";

const address = "6281234511111@c.us";
const personal = [
  "Siti Rahmawati",
  "+6281234511111",
  "Ibu Siti WA",
  "anak saya putus sekolah",
  "halo saya siti",
  "Halo Ibu Siti Rahmawati",
  "Bu Siti, kami hubungi besok",
];

describeEachDatabase("erasure (HAPUS DATA)", (database) => {
  beforeAll(async () => {
    await seedDemo(database().db, now);
  });

  it("leaves no personal data, frees the seat and lets the address start afresh", async () => {
    const { db } = database();
    const siti = await withMessage(
      db,
      await ensureIdentity(db, {
        channel: "whatsapp",
        externalId: address,
        displayName: "Ibu Siti WA",
        phone: "+6281234511111",
        now,
      }),
    );
    const context = { ...contextFor(db, siti), channel: "whatsapp" as const };
    await runAction("consent.record", context, { granted: true, text: "Setuju" });
    await runAction("profile.save", context, {
      name: "Siti Rahmawati",
      kecamatan: "64.71.04",
      kelurahan: "64.71.04.1002",
      groups: ["disabilitas"],
      disability_types: ["fisik"],
    });
    const programmeId = await addProgramme(db, {
      code: "ERS01",
      title: "Kelas Sulam",
      capacity: 1,
    });
    await runAction("registrations.create", context, { programme_id: programmeId });
    const waiting = await resident(db, "e1-waiting");
    await runAction("registrations.create", contextFor(db, waiting), { programme_id: programmeId });
    const [photo] = await db
      .insert(mediaFiles)
      .values({
        contactId: siti.contactId,
        mimeType: "image/jpeg",
        bytes: new Uint8Array([1, 2, 3]),
      })
      .returning();
    const { ticket } = await runAction("needs.create", context, {
      category: "pendidikan_anak",
      description: "anak saya putus sekolah",
      photo_media_id: photo!.id,
      kecamatan: "64.71.04",
      kelurahan: "64.71.04.1002",
    });
    const needId = Number(String(ticket).slice(4));
    await db
      .insert(needStatusHistory)
      .values({ needId, status: "ditinjau", message: "Bu Siti, kami hubungi besok" });
    await runAction("assistance.request", context, { reason: "petugas" });
    const [inbound] = await db
      .insert(inboundMessages)
      .values({
        channel: "whatsapp",
        externalId: "wamid-1",
        identityId: siti.identityId,
        contactId: siti.contactId,
        kind: "text",
        text: "halo saya siti",
        payload: { mediaId: photo!.id },
        receivedAt: now,
      })
      .returning();
    const sent = await enqueueMessage(db, {
      contactId: siti.contactId,
      text: "Halo Ibu Siti Rahmawati",
      priority: "reply",
      inboundId: inbound!.id,
      now,
    });
    if (!sent.queued) throw new Error("expected a queued reply");
    await db
      .update(outboxMessages)
      .set({ status: "sent", sentAt: now })
      .where(eq(outboxMessages.id, sent.outboxId));
    await enqueueMessage(db, {
      contactId: siti.contactId,
      text: "Halo Ibu Siti Rahmawati",
      priority: "notice",
      now,
    });
    await db.insert(conversations).values({
      contactId: siti.contactId,
      flowId: "hapus_data",
      variables: { nama: "Siti Rahmawati" },
    });
    const before = await personalDataIn(db, personal);
    expect(new Set(before.map((finding) => finding.needle))).toEqual(new Set(personal));

    expect(await runAction("contact.erase", context, { farewell })).toEqual({ ok: true });

    expect(await personalDataIn(db, personal)).toEqual([]);
    const [contact] = await db.select().from(contacts).where(eq(contacts.id, siti.contactId));
    expect(contact).toMatchObject({
      name: null,
      phone: null,
      kecamatanCode: null,
      kelurahanCode: null,
      groups: [],
      disabilityTypes: null,
      consentedAt: null,
      erasedAt: now,
    });
    const identities = await db
      .select()
      .from(channelIdentities)
      .where(eq(channelIdentities.contactId, siti.contactId));
    expect(identities).toEqual([
      expect.objectContaining({
        externalId: `erased:${siti.identityId}`,
        displayName: null,
        phone: null,
      }),
    ]);
    expect(
      await db.select().from(conversations).where(eq(conversations.contactId, siti.contactId)),
    ).toEqual([]);
    expect(await db.select().from(mediaFiles).where(eq(mediaFiles.id, photo!.id))).toEqual([]);
    const [message] = await db
      .select()
      .from(inboundMessages)
      .where(eq(inboundMessages.id, inbound!.id));
    expect([message?.text, message?.payload]).toEqual([null, null]);
    const outbox = await db
      .select({ status: outboxMessages.status, payload: outboxMessages.payload })
      .from(outboxMessages)
      .where(eq(outboxMessages.contactId, siti.contactId))
      .orderBy(outboxMessages.sequence);
    expect(outbox).toEqual([
      { status: "sent", payload: { text: "[dihapus]" } },
      { status: "cancelled", payload: { text: "[dihapus]" } },
    ]);

    // Anonymous counts stay: the registration, the report and the request, without a person.
    const [report] = await db.select().from(needReports).where(eq(needReports.id, needId));
    expect(report).toMatchObject({
      contactId: null,
      description: null,
      photoMediaId: null,
      category: "pendidikan_anak",
      kelurahanCode: "64.71.04.1002",
    });
    const seats = await db
      .select({ contactId: registrations.contactId, status: registrations.status })
      .from(registrations)
      .where(eq(registrations.programmeId, programmeId))
      .orderBy(registrations.id);
    expect(seats).toEqual([
      { contactId: null, status: "cancelled" },
      { contactId: waiting.contactId, status: "offered" },
    ]);
    const requests = await db
      .select({ status: assistanceRequests.status, contactId: assistanceRequests.contactId })
      .from(assistanceRequests)
      .where(eq(assistanceRequests.status, "closed"));
    expect(requests).toContainEqual({ status: "closed", contactId: null });
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "contact.erased"));
    expect(audits).toEqual([
      expect.objectContaining({ subjectType: "contact", subjectId: String(siti.contactId) }),
    ]);

    // The address belongs to a new, empty person, who got the farewell.
    expect(await personalDataIn(db, [address])).toEqual([
      { place: "channel_identities.external_id", needle: address, value: address },
    ]);
    const again = await ensureIdentity(db, { channel: "whatsapp", externalId: address, now });
    expect(again.contactId).not.toBe(siti.contactId);
    const fresh = contextFor(db, await withMessage(db, again));
    expect(await runAction("contact.status", fresh)).toMatchObject({
      is_new: true,
      consent: "unknown",
      name: null,
    });
    const [farewellRow] = await db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.contactId, again.contactId));
    expect(farewellRow).toMatchObject({
      channel: "whatsapp",
      identityId: again.identityId,
      status: "pending",
    });
    expect(String(farewellRow?.payload.text)).toContain("Data Anda sudah dihapus");
    expect(await runAction("registrations.mine", fresh)).toMatchObject({ count: 0 });
    expect(await runAction("needs.status", fresh)).toEqual({
      text: "Anda belum pernah mengirim laporan.",
    });
  });

  it("a second erasure changes nothing", async () => {
    const { db } = database();
    const who = await resident(db, "e2-twice");
    const context = contextFor(db, who);
    await runAction("contact.erase", context, { farewell });
    const [first] = await db.select().from(contacts).where(eq(contacts.id, who.contactId));
    await runAction(
      "contact.erase",
      { ...context, now: new Date(now.getTime() + 60_000) },
      { farewell },
    );
    const [second] = await db.select().from(contacts).where(eq(contacts.id, who.contactId));
    expect(second).toEqual(first);
  });
});
