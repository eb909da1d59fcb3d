import { count, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import {
  channelIdentities,
  consentRecords,
  contacts,
  needReports,
} from "../../src/db/schema/index.js";
import { seedDemo } from "../../src/db/seed.js";
import { actions } from "../../src/domain/actions.js";
import { ensureIdentity } from "../../src/domain/contacts.js";
import { describeEachDatabase } from "../support/database.js";
import { contextFor, now, programmeIdOf, resident, runAction } from "./fixtures.js";

/** Balikpapan Tengah / Gunung Sari Ilir. */
const kecamatan = "64.71.04";
const kelurahan = "64.71.04.1002";

describeEachDatabase("contacts", (database) => {
  beforeAll(async () => {
    await seedDemo(database().db, now);
  });

  it("creates one contact per channel address, also when two first messages race", async () => {
    const { db } = database();
    const [before] = await db.select({ n: count() }).from(contacts);
    const input = {
      channel: "whatsapp" as const,
      externalId: "6281234567890@c.us",
      phone: "+6281234567890",
      displayName: "Siti",
      now,
    };
    const [a, b] = await Promise.all([ensureIdentity(db, input), ensureIdentity(db, input)]);
    expect(a!.contactId).toBe(b!.contactId);
    expect(a!.identityId).toBe(b!.identityId);
    expect([a!.created, b!.created].sort()).toEqual([false, true]);
    const [after] = await db.select({ n: count() }).from(contacts);
    expect(after!.n).toBe(before!.n + 1);
    const again = await ensureIdentity(db, { ...input, displayName: "Siti A." });
    expect(again).toEqual({ contactId: a!.contactId, identityId: a!.identityId, created: false });
    const [identity] = await db
      .select({ displayName: channelIdentities.displayName })
      .from(channelIdentities)
      .where(eq(channelIdentities.id, a!.identityId));
    expect(identity?.displayName).toBe("Siti A.");
    // The same id on another channel is another person.
    const telegram = await ensureIdentity(db, { ...input, channel: "telegram" });
    expect(telegram.contactId).not.toBe(a!.contactId);
  });

  it("contact.status says a first-time resident is new, and fills in as they answer", async () => {
    const { db } = database();
    const who = await resident(db, "c2-new");
    const context = contextFor(db, who);
    expect(await runAction("contact.status", context)).toEqual({
      is_new: true,
      consent: "unknown",
      name: null,
      profile_complete: false,
      phone_known: false,
      kecamatan_code: null,
      kecamatan_name: null,
      kelurahan_code: null,
      kelurahan_name: null,
      announcements_on: true,
    });
    await runAction("consent.record", context, { granted: "true", text: "Setuju? YA/TIDAK" });
    expect(await runAction("contact.status", context)).toMatchObject({
      is_new: false,
      consent: "given",
    });
    await runAction("profile.save", context, {
      name: " Siti Aminah ",
      kecamatan,
      kelurahan,
      groups: ["ibu_rumah_tangga", "disabilitas"],
      disability_types: ["fisik"],
      phone: "+6281234500001",
    });
    expect(await runAction("contact.status", context)).toEqual({
      is_new: false,
      consent: "given",
      name: "Siti Aminah",
      profile_complete: true,
      phone_known: true,
      kecamatan_code: kecamatan,
      kecamatan_name: "Balikpapan Tengah",
      kelurahan_code: kelurahan,
      kelurahan_name: "Gunung Sari Ilir",
      announcements_on: true,
    });
  });

  it("stores each consent answer with its text, channel and time", async () => {
    const { db } = database();
    const who = await resident(db, "c3-consent");
    const context = contextFor(db, who);
    await runAction("consent.record", context, { granted: true, text: "Teks persetujuan v1" });
    const later = new Date(now.getTime() + 3_600_000);
    await runAction(
      "consent.record",
      { ...context, now: later },
      { granted: "tidak", text: "Teks persetujuan v1" },
    );
    const records = await db
      .select({
        granted: consentRecords.granted,
        text: consentRecords.text,
        channel: consentRecords.channel,
        recordedAt: consentRecords.recordedAt,
      })
      .from(consentRecords)
      .where(eq(consentRecords.contactId, who.contactId))
      .orderBy(consentRecords.id);
    expect(records).toEqual([
      { granted: true, text: "Teks persetujuan v1", channel: "simulator", recordedAt: now },
      { granted: false, text: "Teks persetujuan v1", channel: "simulator", recordedAt: later },
    ]);
    const [contact] = await db
      .select({ consentedAt: contacts.consentedAt })
      .from(contacts)
      .where(eq(contacts.id, who.contactId));
    expect(contact?.consentedAt).toBeNull();
    expect((await runAction("contact.status", context)).consent).toBe("refused");
  });

  it("keeps disability types only for residents who chose penyandang disabilitas", async () => {
    const { db } = database();
    const who = await resident(db, "c4-groups");
    await runAction("profile.save", contextFor(db, who), {
      name: "Budi",
      kecamatan,
      kelurahan,
      groups: "pencari_kerja,lansia",
      disability_types: ["mental"],
    });
    const [contact] = await db
      .select({
        groups: contacts.groups,
        disabilityTypes: contacts.disabilityTypes,
        phone: contacts.phone,
      })
      .from(contacts)
      .where(eq(contacts.id, who.contactId));
    expect(contact).toEqual({
      groups: ["pencari_kerja", "lansia"],
      disabilityTypes: null,
      phone: null,
    });
    expect(() =>
      actions["profile.save"]!.args.parse({
        name: "Budi",
        kecamatan,
        kelurahan,
        groups: ["cacat"],
      }),
    ).toThrow();
  });

  it("BERHENTI and LANGGANAN switch announcements and say when nothing changed", async () => {
    const { db } = database();
    const context = contextFor(db, await resident(db, "c5-announce"));
    expect(await runAction("announcements.opt_in", context)).toEqual({ already: true });
    expect(await runAction("announcements.opt_out", context)).toEqual({ already: false });
    expect(await runAction("announcements.opt_out", context)).toEqual({ already: true });
    expect((await runAction("contact.status", context)).announcements_on).toBe(false);
    expect(await runAction("announcements.opt_in", context)).toEqual({ already: false });
    expect((await runAction("contact.status", context)).announcements_on).toBe(true);
  });

  it("DATA SAYA shows everything stored, in words the resident can read", async () => {
    const { db } = database();
    const who = await resident(db, "c6-export");
    const context = contextFor(db, who);
    await runAction("consent.record", context, { granted: true, text: "Setuju" });
    await runAction("profile.save", context, {
      name: "Rina",
      kecamatan,
      kelurahan,
      groups: ["disabilitas", "perempuan_kepala_keluarga"],
      disability_types: ["sensorik"],
      phone: "+6281299990000",
    });
    await runAction("announcements.opt_out", context);
    await runAction("registrations.create", context, {
      programme_id: await programmeIdOf(db, "MJH02"),
    });
    const { ticket } = await runAction("needs.create", context, {
      category: "alat_bantu",
      description: "Butuh tongkat",
      kecamatan,
      kelurahan,
    });
    const { text } = await runAction("contact.export", context);
    expect(text).toBe(
      [
        "Data Anda yang disimpan oleh Dinas Sosial Kota Balikpapan:",
        "Nama: Rina",
        "Nomor HP: +6281299990000",
        "Kecamatan: Balikpapan Tengah",
        "Kelurahan: Gunung Sari Ilir",
        "Kelompok: Penyandang disabilitas, Perempuan kepala keluarga",
        "Jenis disabilitas: Disabilitas sensorik (netra, rungu, wicara)",
        "Persetujuan: diberikan Sabtu, 28 November 2026 pukul 10.00 WITA",
        "Pengumuman: tidak aktif",
        "Saluran: Simulator",
        "Pendaftaran:",
        "- Menjahit Inklusif untuk Penyandang Disabilitas — Terdaftar",
        "Laporan:",
        `- ${ticket} — Alat bantu disabilitas — Baru diterima (Sabtu, 28 November 2026)`,
        "",
        "Untuk memperbaiki data, ketik MENU. Untuk menghapus semua data, ketik HAPUS DATA.",
      ].join("\n"),
    );
    const [report] = await db
      .select({ kelurahan: needReports.kelurahanCode })
      .from(needReports)
      .where(eq(needReports.contactId, who.contactId));
    expect(report?.kelurahan).toBe(kelurahan);
  });
});
