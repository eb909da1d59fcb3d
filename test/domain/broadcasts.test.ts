import { asc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { ChannelLimits } from "../../src/channels/adapter.js";
import type { ChannelName } from "../../src/channels/contract.js";
import type { Db } from "../../src/db/client.js";
import {
  broadcasts,
  channelIdentities,
  contacts,
  organisations,
  outboxMessages,
  programmes,
  type RegistrationStatus,
  registrations,
} from "../../src/db/schema/index.js";
import {
  type BroadcastAudience,
  BroadcastInputError,
  broadcastProgress,
  broadcastRecipients,
  cancelBroadcast,
  createBroadcast,
  dueScheduledBroadcasts,
  estimateDuration,
  formatDuration,
  previewBroadcast,
  sendBroadcast,
  stopLine,
  withdrawAnnouncements,
} from "../../src/domain/broadcasts/index.js";
import { ensureIdentity } from "../../src/domain/contacts.js";
import type { VulnerableGroupId } from "../../src/domain/groups.js";
import { enqueueMessage } from "../../src/domain/outbox.js";
import { describeEachDatabase } from "../support/database.js";
import { now } from "./fixtures.js";

const hour = 3_600_000;
const timur = "64.71.01";
const utara = "64.71.03";
const manggar = "64.71.01.1001";
const lamaru = "64.71.01.1002";
const gunungSamarinda = "64.71.03.1002";

const whatsappLimits: ChannelLimits = {
  perSecond: 1,
  perChatGapMs: 1000,
  minGapMs: 3000,
  jitterMs: 2000,
  dailyCap: 200,
};
const telegramLimits: ChannelLimits = {
  perSecond: 30,
  perChatGapMs: 1000,
  minGapMs: 0,
  jitterMs: 0,
  dailyCap: null,
};
const simulatorLimits: ChannelLimits = {
  perSecond: 1_000_000,
  perChatGapMs: 0,
  minGapMs: 0,
  jitterMs: 0,
  dailyCap: null,
};
const limits = { whatsapp: whatsappLimits, telegram: telegramLimits, simulator: simulatorLimits };

async function organisation(db: Db, slug: string): Promise<number> {
  const [row] = await db
    .insert(organisations)
    .values({ slug, name: `Organisasi ${slug}`, kind: "lsm" })
    .returning({ id: organisations.id });
  return row!.id;
}

async function programme(db: Db, organisationId: number, code: string): Promise<number> {
  const [row] = await db
    .insert(programmes)
    .values({ organisationId, code, title: `Program ${code}`, category: "lainnya", capacity: 50 })
    .returning({ id: programmes.id });
  return row!.id;
}

async function register(
  db: Db,
  programmeId: number,
  contactId: number,
  status: RegistrationStatus = "registered",
) {
  await db.insert(registrations).values({ programmeId, contactId, status });
}

interface PersonOptions {
  channel?: ChannelName;
  name?: string | null;
  kecamatan?: string;
  kelurahan?: string;
  groups?: VulnerableGroupId[];
  consented?: boolean;
  optedOut?: boolean;
  erased?: boolean;
  at?: Date;
}

/** A resident who wrote from `address` on `channel`, with a profile and consent by default. */
async function person(db: Db, address: string, options: PersonOptions = {}) {
  const channel = options.channel ?? "simulator";
  const who = await ensureIdentity(db, {
    channel,
    externalId: channel === "whatsapp" ? `${address}@c.us` : address,
    now: options.at ?? now,
  });
  await db
    .update(contacts)
    .set({
      name: options.name === undefined ? address : options.name,
      kecamatanCode: options.kecamatan ?? null,
      kelurahanCode: options.kelurahan ?? null,
      groups: options.groups ?? [],
      consentedAt: options.consented === false ? null : now,
      announcementsOptedOutAt: options.optedOut ? now : null,
      erasedAt: options.erased ? now : null,
    })
    .where(eq(contacts.id, who.contactId));
  return who;
}

async function rowsOf(db: Db, broadcastId: number) {
  return db
    .select()
    .from(outboxMessages)
    .where(eq(outboxMessages.broadcastId, broadcastId))
    .orderBy(asc(outboxMessages.contactId));
}

async function sequencesOf(db: Db, contactId: number): Promise<number[]> {
  const rows = await db
    .select({ sequence: outboxMessages.sequence })
    .from(outboxMessages)
    .where(eq(outboxMessages.contactId, contactId))
    .orderBy(asc(outboxMessages.sequence));
  return rows.map((row) => row.sequence);
}

async function setStatus(
  db: Db,
  id: number,
  status: "sent" | "failed" | "unreachable" | "sending",
  lastError: string | null = null,
) {
  await db
    .update(outboxMessages)
    .set({ status, lastError, ...(status === "sent" ? { sentAt: now } : {}) })
    .where(eq(outboxMessages.id, id));
}

describeEachDatabase("broadcasts", (database) => {
  /** The cast of the audience tests, created once; other tests make their own residents. */
  const cast = {} as Record<string, number>;
  let dinsos = 0;
  let lsm = 0;
  let menjahit = 0;
  let kue = 0;
  let lsmProgramme = 0;

  beforeAll(async () => {
    const { db } = database();
    dinsos = await organisation(db, "b-dinsos");
    lsm = await organisation(db, "b-lsm");
    menjahit = await programme(db, dinsos, "BMJ01");
    kue = await programme(db, dinsos, "BKU01");
    lsmProgramme = await programme(db, lsm, "BLS01");
    const add = async (key: string, address: string, options: PersonOptions) => {
      cast[key] = (await person(db, address, options)).contactId;
    };
    await add("siti", "b-siti", {
      channel: "telegram",
      name: "Siti Aminah",
      kecamatan: timur,
      kelurahan: manggar,
      groups: ["ibu_rumah_tangga"],
    });
    await add("budi", "6281200001001", {
      channel: "whatsapp",
      name: "Budi",
      kecamatan: utara,
      kelurahan: gunungSamarinda,
      groups: ["disabilitas"],
    });
    await add("tanpaNama", "b-tanpa-nama", {
      name: null,
      kecamatan: timur,
      kelurahan: lamaru,
      groups: ["lansia"],
    });
    await add("ani", "6281200001002", {
      channel: "whatsapp",
      name: "Ani",
      kecamatan: timur,
      kelurahan: manggar,
      groups: ["lansia", "disabilitas"],
    });
    // Ani also wrote on Telegram, later: the newest reachable identity is used.
    const aniTelegram = await ensureIdentity(db, {
      channel: "telegram",
      externalId: "b-ani-tg",
      now: new Date(now.getTime() + 60_000),
    });
    await db
      .update(channelIdentities)
      .set({ contactId: cast.ani! })
      .where(eq(channelIdentities.id, aniTelegram.identityId));
    // Would be in every audience below, but are left out.
    const excluded: PersonOptions = { kecamatan: timur, kelurahan: manggar, groups: ["lansia"] };
    await add("berhenti", "b-berhenti", { ...excluded, optedOut: true });
    await add("terhapus", "b-terhapus", { ...excluded, erased: true });
    await add("tanpaIzin", "b-tanpa-izin", { ...excluded, consented: false });
    await add("putus", "b-putus", { ...excluded, channel: "telegram" });
    await db
      .update(channelIdentities)
      .set({ unreachableAt: now })
      .where(eq(channelIdentities.contactId, cast.putus!));
    // A WhatsApp identity the resident never wrote from (e.g. typed in by someone else).
    const [silent] = await db
      .insert(contacts)
      .values({ name: "Diam", consentedAt: now, kelurahanCode: manggar, kecamatanCode: timur })
      .returning({ id: contacts.id });
    cast.diam = silent!.id;
    await db.insert(channelIdentities).values({
      contactId: silent!.id,
      channel: "whatsapp",
      externalId: "6281200001009@c.us",
    });
    await register(db, menjahit, cast.siti!);
    await register(db, menjahit, cast.budi!, "waitlisted");
    await register(db, kue, cast.tanpaNama!);
    await register(db, lsmProgramme, cast.ani!);
    for (const key of ["berhenti", "terhapus", "tanpaIzin", "putus", "diam"]) {
      await register(db, menjahit, cast[key]!);
    }
  });

  /**
   * The cast members a sent broadcast to `audience` reached, as "key:channel" by contact id
   * (residents other tests add are ignored).
   */
  async function reached(audience: BroadcastAudience, organisationId = dinsos) {
    const { db } = database();
    const id = await createBroadcast(db, {
      organisationId,
      title: "Uji",
      text: "Halo {nama}",
      audience,
      now,
    });
    await sendBroadcast(db, { organisationId, broadcastId: id, now });
    const byId = new Map(Object.entries(cast).map(([key, contactId]) => [contactId, key]));
    return (await rowsOf(db, id))
      .filter((row) => byId.has(row.contactId))
      .map((row) => `${byId.get(row.contactId)}:${row.channel}`);
  }

  it("reaches every consented, reachable resident once, through their newest identity", async () => {
    expect(await reached({})).toEqual([
      "siti:telegram",
      "budi:whatsapp",
      "tanpaNama:simulator",
      "ani:telegram",
    ]);
  });

  it("filters by programme and registration status, within the organisation", async () => {
    expect(await reached({ programmeId: menjahit })).toEqual(["siti:telegram"]);
    expect(
      await reached({ programmeId: menjahit, registrationStatuses: ["registered", "waitlisted"] }),
    ).toEqual(["siti:telegram", "budi:whatsapp"]);
    expect(await reached({ programmeId: menjahit, registrationStatuses: ["completed"] })).toEqual(
      [],
    );
    expect(await reached({ registrationStatuses: ["registered"] })).toEqual([
      "siti:telegram",
      "tanpaNama:simulator",
    ]);
    expect(await reached({ registrationStatuses: ["registered"] }, lsm)).toEqual(["ani:telegram"]);
    await expect(reached({ programmeId: lsmProgramme })).rejects.toThrow(BroadcastInputError);
  });

  it("filters by kecamatan, kelurahan (together they add up) and group", async () => {
    expect(await reached({ kecamatan: [timur] })).toEqual([
      "siti:telegram",
      "tanpaNama:simulator",
      "ani:telegram",
    ]);
    expect(await reached({ kelurahan: [manggar] })).toEqual(["siti:telegram", "ani:telegram"]);
    expect(await reached({ kecamatan: [utara], kelurahan: [lamaru] })).toEqual([
      "budi:whatsapp",
      "tanpaNama:simulator",
    ]);
    expect(await reached({ groups: ["lansia"] })).toEqual(["tanpaNama:simulator", "ani:telegram"]);
    expect(await reached({ groups: ["disabilitas"], kelurahan: [manggar] })).toEqual([
      "ani:telegram",
    ]);
    await expect(reached({ kelurahan: ["64.71.99.9999"] })).rejects.toThrow(BroadcastInputError);
    await expect(reached({ kecamatan: [manggar] })).rejects.toThrow(/kecamatan tidak dikenal/);
  });

  it("filters by channel, falling back to a resident's other identity", async () => {
    expect(await reached({ channels: ["whatsapp"] })).toEqual(["budi:whatsapp", "ani:whatsapp"]);
    expect(await reached({ channels: ["telegram"] })).toEqual(["siti:telegram", "ani:telegram"]);
    expect(await reached({ channels: ["simulator"] })).toEqual(["tanpaNama:simulator"]);
  });

  it("previews count, channels, a sample without phone numbers, and how long it takes", async () => {
    const { db } = database();
    const audience = { kecamatan: [timur, utara] };
    const preview = await previewBroadcast(db, { organisationId: dinsos, audience, now, limits });
    expect(preview).toEqual({
      count: 4,
      byChannel: { whatsapp: 1, telegram: 2, simulator: 1 },
      sample: [
        { name: "Siti Aminah", kelurahan: "Manggar", channel: "telegram" },
        { name: "Budi", kelurahan: "Gunung Samarinda", channel: "whatsapp" },
        { name: "Warga", kelurahan: "Lamaru", channel: "simulator" },
        { name: "Ani", kelurahan: "Manggar", channel: "telegram" },
      ],
      estimate: {
        whatsapp: "kurang dari 1 menit",
        telegram: "kurang dari 1 menit",
        simulator: "kurang dari 1 menit",
      },
    });
    const withoutWhatsapp = await previewBroadcast(db, {
      organisationId: dinsos,
      audience: { kelurahan: [gunungSamarinda] },
      now,
      limits: { telegram: telegramLimits },
    });
    expect(withoutWhatsapp.estimate).toEqual({
      whatsapp: "belum bisa diperkirakan: saluran ini belum aktif",
    });
    await expect(
      previewBroadcast(db, {
        organisationId: dinsos,
        audience: { channels: ["sms"] },
        now,
        limits,
      }),
    ).rejects.toThrow(ZodError);
  });

  it("estimates sending time in Indonesian from the channel's limits", () => {
    expect(estimateDuration(450, whatsappLimits)).toBe("sekitar 3 hari (batas 200 pesan per hari)");
    expect(estimateDuration(150, whatsappLimits)).toBe("sekitar 10 menit");
    expect(estimateDuration(150, whatsappLimits, 100)).toBe(
      "sekitar 2 hari (batas 200 pesan per hari)",
    );
    expect(estimateDuration(10, whatsappLimits, 200)).toBe(
      "kurang dari 1 menit, mulai besok (batas 200 pesan per hari sudah tercapai hari ini)",
    );
    expect(estimateDuration(300, whatsappLimits, 250)).toBe(
      "sekitar 2 hari, mulai besok (batas 200 pesan per hari sudah tercapai hari ini)",
    );
    expect(estimateDuration(3600, telegramLimits)).toBe("sekitar 2 menit");
    expect(estimateDuration(100_000, telegramLimits)).toBe("sekitar 56 menit");
    expect(estimateDuration(100_000, simulatorLimits)).toBe("kurang dari 1 menit");
    expect(formatDuration(2 * hour + 5 * 60_000)).toBe("sekitar 2 jam 5 menit");
    expect(formatDuration(3 * hour)).toBe("sekitar 3 jam");
  });

  it("queues one row per resident with the placeholders filled, the stop line and the next sequences", async () => {
    const { db } = database();
    const programmeId = await programme(db, dinsos, "BSD01");
    const sari = await person(db, "b-sari", { name: "Sari", kelurahan: manggar });
    const anon = await person(db, "b-anon", { name: null });
    const tricky = await person(db, "b-tricky", { name: "{kelurahan} Rudi", kelurahan: lamaru });
    for (const who of [sari, anon, tricky]) await register(db, programmeId, who.contactId);
    for (const text of ["Halo", "Pilih program"]) {
      await enqueueMessage(db, { contactId: sari.contactId, text, priority: "reply", now });
    }
    const id = await createBroadcast(db, {
      organisationId: dinsos,
      title: "Kelas dimulai",
      text: "Halo {nama} dari {kelurahan}, kelas dimulai Senin.",
      audience: { programmeId },
      now,
    });
    expect(await sendBroadcast(db, { organisationId: dinsos, broadcastId: id, now })).toEqual({
      kind: "queued",
      queued: 3,
    });
    const rows = await rowsOf(db, id);
    expect(
      rows.map((row) => ({
        contactId: row.contactId,
        identityId: row.identityId,
        sequence: row.sequence,
        payload: row.payload,
        priority: row.priority,
        notBefore: row.notBefore,
        status: row.status,
        dedupeKey: row.dedupeKey,
      })),
    ).toEqual(
      [
        [sari, 3, "Halo Sari dari Manggar, kelas dimulai Senin."],
        [anon, 1, "Halo Bapak/Ibu dari -, kelas dimulai Senin."],
        [tricky, 1, "Halo {kelurahan} Rudi dari Lamaru, kelas dimulai Senin."],
      ].map(([who, sequence, text]) => {
        const { contactId, identityId } = who as typeof sari;
        return {
          contactId,
          identityId,
          sequence,
          payload: { text: `${text}${stopLine}` },
          priority: 2,
          notBefore: now,
          status: "pending",
          dedupeKey: `broadcast:${id}:${contactId}`,
        };
      }),
    );
    expect(rows[0]!.payload.text).toMatch(
      /\n\nKetik BERHENTI jika tidak ingin menerima pengumuman lagi\.$/,
    );
    const [stored] = await db.select().from(broadcasts).where(eq(broadcasts.id, id));
    expect(stored!.status).toBe("sending");

    // A second send queues nothing and takes no sequence numbers.
    expect(await sendBroadcast(db, { organisationId: dinsos, broadcastId: id, now })).toEqual({
      kind: "not_sendable",
      status: "sending",
    });
    expect(await rowsOf(db, id)).toHaveLength(3);
    const reply = await enqueueMessage(db, {
      contactId: sari.contactId,
      text: "Balasan",
      priority: "reply",
      now,
    });
    expect(reply).toMatchObject({ queued: true, sequence: 4 });
    expect(await sequencesOf(db, sari.contactId)).toEqual([1, 2, 3, 4]);
  });

  it("keeps sequences unique when fan-outs and replies run at the same time", async () => {
    const { db } = database();
    const programmeId = await programme(db, dinsos, "BRC01");
    const people = [];
    for (let i = 0; i < 6; i++) {
      const who = await person(db, `b-race-${i}`, { name: `Warga ${i}` });
      await register(db, programmeId, who.contactId);
      people.push(who);
    }
    const ids = [];
    for (const title of ["Satu", "Dua", "Tiga"]) {
      ids.push(
        await createBroadcast(db, {
          organisationId: dinsos,
          title,
          text: title,
          audience: { programmeId },
          now,
        }),
      );
    }
    await Promise.all([
      ...ids.map((broadcastId) => sendBroadcast(db, { organisationId: dinsos, broadcastId, now })),
      ...people.map((who) =>
        db.transaction((tx) =>
          enqueueMessage(tx, { contactId: who.contactId, text: "Balasan", priority: "reply", now }),
        ),
      ),
    ]);
    for (const who of people) {
      expect(await sequencesOf(db, who.contactId)).toEqual([1, 2, 3, 4]);
    }
  });

  it("sends a scheduled broadcast only when the sweep finds its time has come", async () => {
    const { db } = database();
    const programmeId = await programme(db, dinsos, "BSC01");
    const who = await person(db, "b-jadwal", { name: "Jadwal" });
    await register(db, programmeId, who.contactId);
    const at = new Date(now.getTime() + 2 * hour);
    const id = await createBroadcast(db, {
      organisationId: dinsos,
      title: "Terjadwal",
      text: "Besok ada pelatihan, {nama}.",
      audience: { programmeId },
      scheduledAt: at,
      now,
    });
    const [stored] = await db.select().from(broadcasts).where(eq(broadcasts.id, id));
    expect(stored).toMatchObject({ status: "scheduled", scheduledAt: at });

    const early = await dueScheduledBroadcasts(db, new Date(at.getTime() - 60_000));
    expect(early.sent.map((sent) => sent.broadcastId)).not.toContain(id);
    expect(await rowsOf(db, id)).toHaveLength(0);

    const due = await dueScheduledBroadcasts(db, new Date(at.getTime() + 30_000));
    expect(due.sent).toContainEqual({ broadcastId: id, queued: 1 });
    expect(due.failed).toEqual([]);
    const rows = await rowsOf(db, id);
    expect(rows.map((row) => [row.contactId, row.notBefore])).toEqual([
      [who.contactId, new Date(at.getTime() + 30_000)],
    ]);
    const again = await dueScheduledBroadcasts(db, new Date(at.getTime() + 90_000));
    expect(again.sent.map((sent) => sent.broadcastId)).not.toContain(id);
    expect(await rowsOf(db, id)).toHaveLength(1);

    await expect(
      createBroadcast(db, {
        organisationId: dinsos,
        title: "Terlambat",
        text: "x",
        audience: {},
        scheduledAt: new Date(now.getTime() - 60_000),
        now,
      }),
    ).rejects.toThrow("Waktu kirim sudah lewat");
  });

  it("queues a scheduled broadcast sent early for its time", async () => {
    const { db } = database();
    const programmeId = await programme(db, dinsos, "BSE01");
    const who = await person(db, "b-awal", { name: "Awal" });
    await register(db, programmeId, who.contactId);
    const at = new Date(now.getTime() + 5 * hour);
    const id = await createBroadcast(db, {
      organisationId: dinsos,
      title: "Lebih awal",
      text: "Info",
      audience: { programmeId },
      scheduledAt: at,
      now,
    });
    await sendBroadcast(db, { organisationId: dinsos, broadcastId: id, now });
    expect((await rowsOf(db, id)).map((row) => row.notBefore)).toEqual([at]);
  });

  it("reports progress and recipients, and is done when nothing is left to send", async () => {
    const { db } = database();
    const programmeId = await programme(db, dinsos, "BPR01");
    const people = [];
    for (const name of ["Ayu", "Bayu", "Citra", null]) {
      const who = await person(db, `b-progress-${name}`, { name, channel: "whatsapp" });
      await register(db, programmeId, who.contactId);
      people.push(who);
    }
    const id = await createBroadcast(db, {
      organisationId: dinsos,
      title: "Progres",
      text: "Info",
      audience: { programmeId },
      now,
    });
    await sendBroadcast(db, { organisationId: dinsos, broadcastId: id, now });
    const [ayu, bayu, citra, warga] = await rowsOf(db, id);
    const failure = "Gagal terkirim setelah 8 kali mencoba (terakhir: timeout)";
    await setStatus(db, ayu!.id, "sent");
    await setStatus(db, bayu!.id, "failed", failure);
    await setStatus(db, citra!.id, "unreachable", "Warga memblokir bot atau nomor tidak aktif");
    const request = { organisationId: dinsos, broadcastId: id };
    expect(await broadcastProgress(db, request)).toEqual({
      queued: 1,
      sent: 1,
      failed: 1,
      unreachable: 1,
      cancelled: 0,
      total: 4,
      percent: 75,
      status: "sending",
    });
    const page = await broadcastRecipients(db, { ...request, limit: 3, offset: 0 });
    expect(page?.total).toBe(4);
    expect(page?.recipients.map((r) => [r.name, r.channel, r.status, r.lastError])).toEqual([
      ["Ayu", "whatsapp", "sent", null],
      ["Bayu", "whatsapp", "failed", failure],
      ["Citra", "whatsapp", "unreachable", "Warga memblokir bot atau nomor tidak aktif"],
    ]);
    expect(page?.recipients[0]?.sentAt).toEqual(now);
    expect(JSON.stringify(page)).not.toMatch(/6281|@c\.us|phone/);
    const rest = await broadcastRecipients(db, { ...request, limit: 3, offset: 3 });
    expect(rest?.recipients.map((r) => [r.name, r.status])).toEqual([["Warga", "pending"]]);
    const failed = await broadcastRecipients(db, {
      ...request,
      limit: 10,
      offset: 0,
      status: "failed",
    });
    expect(failed?.recipients.map((r) => r.contactId)).toEqual([people[1]!.contactId]);

    await setStatus(db, warga!.id, "sent");
    expect(await broadcastProgress(db, request)).toMatchObject({
      queued: 0,
      sent: 2,
      total: 4,
      percent: 100,
      status: "done",
    });
    const [stored] = await db.select().from(broadcasts).where(eq(broadcasts.id, id));
    expect(stored!.status).toBe("done");
  });

  it("is done at once when the audience is empty", async () => {
    const { db } = database();
    const programmeId = await programme(db, dinsos, "BKS01");
    const id = await createBroadcast(db, {
      organisationId: dinsos,
      title: "Kosong",
      text: "Info",
      audience: { programmeId },
      now,
    });
    expect(await sendBroadcast(db, { organisationId: dinsos, broadcastId: id, now })).toEqual({
      kind: "queued",
      queued: 0,
    });
    expect(await broadcastProgress(db, { organisationId: dinsos, broadcastId: id })).toMatchObject({
      total: 0,
      percent: 100,
      status: "done",
    });
  });

  it("cancels: pending rows are withdrawn, rows sent or in flight are left", async () => {
    const { db } = database();
    const programmeId = await programme(db, dinsos, "BCA01");
    for (const name of ["Dina", "Eka", "Fitri"]) {
      await register(db, programmeId, (await person(db, `b-cancel-${name}`, { name })).contactId);
    }
    const id = await createBroadcast(db, {
      organisationId: dinsos,
      title: "Batal",
      text: "Info",
      audience: { programmeId },
      now,
    });
    await sendBroadcast(db, { organisationId: dinsos, broadcastId: id, now });
    const [sent, inFlight, pending] = await rowsOf(db, id);
    await setStatus(db, sent!.id, "sent");
    await setStatus(db, inFlight!.id, "sending");
    expect(await cancelBroadcast(db, { organisationId: dinsos, broadcastId: id, now })).toEqual({
      kind: "cancelled",
      withdrawn: 1,
    });
    const rows = await rowsOf(db, id);
    expect(rows.map((row) => [row.id, row.status])).toEqual([
      [sent!.id, "sent"],
      [inFlight!.id, "sending"],
      [pending!.id, "cancelled"],
    ]);
    expect(rows[2]!.lastError).toBe("Dibatalkan: pengumuman dibatalkan oleh petugas");
    expect(await broadcastProgress(db, { organisationId: dinsos, broadcastId: id })).toMatchObject({
      queued: 1,
      sent: 1,
      cancelled: 1,
      status: "cancelled",
    });
    expect(await cancelBroadcast(db, { organisationId: dinsos, broadcastId: id, now })).toEqual({
      kind: "not_cancellable",
      status: "cancelled",
    });
    expect(await sendBroadcast(db, { organisationId: dinsos, broadcastId: id, now })).toEqual({
      kind: "not_sendable",
      status: "cancelled",
    });
  });

  it("cancels a scheduled broadcast so the sweep never sends it", async () => {
    const { db } = database();
    const at = new Date(now.getTime() + hour);
    const id = await createBroadcast(db, {
      organisationId: dinsos,
      title: "Batal terjadwal",
      text: "Info",
      audience: {},
      scheduledAt: at,
      now,
    });
    expect(await cancelBroadcast(db, { organisationId: dinsos, broadcastId: id, now })).toEqual({
      kind: "cancelled",
      withdrawn: 0,
    });
    const sweep = await dueScheduledBroadcasts(db, new Date(at.getTime() + hour));
    expect(sweep.sent.map((sent) => sent.broadcastId)).not.toContain(id);
    expect(await rowsOf(db, id)).toHaveLength(0);
  });

  it("does not let another organisation read, send or cancel a broadcast", async () => {
    const { db } = database();
    const id = await createBroadcast(db, {
      organisationId: dinsos,
      title: "Rahasia",
      text: "Info",
      audience: { kelurahan: [gunungSamarinda] },
      now,
    });
    const foreign = { organisationId: lsm, broadcastId: id };
    expect(await broadcastProgress(db, foreign)).toBeUndefined();
    expect(await broadcastRecipients(db, { ...foreign, limit: 10, offset: 0 })).toBeUndefined();
    expect(await sendBroadcast(db, { ...foreign, now })).toEqual({ kind: "not_found" });
    expect(await cancelBroadcast(db, { ...foreign, now })).toEqual({ kind: "not_found" });
    const [stored] = await db.select().from(broadcasts).where(eq(broadcasts.id, id));
    expect(stored!.status).toBe("draft");
    expect(await rowsOf(db, id)).toHaveLength(0);
  });

  it("checks what staff wrote: title, text length and placeholders", async () => {
    const { db } = database();
    const base = { organisationId: dinsos, title: "Judul", audience: {}, now };
    await expect(createBroadcast(db, { ...base, text: "Halo {nma}" })).rejects.toThrow(
      /Kata pengganti tidak dikenal: \{nma\}/,
    );
    await expect(createBroadcast(db, { ...base, text: "   " })).rejects.toThrow(ZodError);
    await expect(createBroadcast(db, { ...base, title: "", text: "x" })).rejects.toThrow(ZodError);
    await expect(createBroadcast(db, { ...base, text: "x".repeat(2001) })).rejects.toThrow(
      ZodError,
    );
    await expect(createBroadcast(db, { ...base, text: "x", createdBy: 999_999 })).rejects.toThrow(
      "Petugas tidak ditemukan",
    );
  });

  it("withdraws a resident's pending announcements (BERHENTI), not their replies", async () => {
    const { db } = database();
    const programmeId = await programme(db, dinsos, "BBH01");
    const who = await person(db, "b-stop", { name: "Stop" });
    await register(db, programmeId, who.contactId);
    const id = await createBroadcast(db, {
      organisationId: dinsos,
      title: "Stop",
      text: "Info",
      audience: { programmeId },
      now,
    });
    await sendBroadcast(db, { organisationId: dinsos, broadcastId: id, now });
    await enqueueMessage(db, { contactId: who.contactId, text: "Oke", priority: "reply", now });
    expect(await withdrawAnnouncements(db, who.contactId)).toBe(1);
    const rows = await db
      .select({ broadcastId: outboxMessages.broadcastId, status: outboxMessages.status })
      .from(outboxMessages)
      .where(eq(outboxMessages.contactId, who.contactId))
      .orderBy(asc(outboxMessages.sequence));
    expect(rows).toEqual([
      { broadcastId: id, status: "cancelled" },
      { broadcastId: null, status: "pending" },
    ]);
  });
});

describe("broadcasts at scale", () => {
  describeEachDatabase("fan-out", (database) => {
    it("queues 20,000 residents in one statement", { timeout: 180_000 }, async () => {
      const { db } = database();
      const organisationId = await organisation(db, "b-massal");
      const total = 20_000;
      await db.execute(sql`
        with made as (
          insert into contacts (name, kelurahan_code, kecamatan_code, consented_at, created_at)
          select 'Warga ' || g, ${manggar}, ${timur}, ${now.toISOString()}::timestamptz,
            ${now.toISOString()}::timestamptz
          from generate_series(1, ${total}) g
          returning id
        )
        insert into channel_identities (contact_id, channel, external_id, last_inbound_at)
        select id, case when id % 2 = 0 then 'telegram' else 'whatsapp' end,
          'massal-' || id, ${now.toISOString()}::timestamptz
        from made`);
      const preview = await previewBroadcast(db, { organisationId, audience: {}, now, limits });
      expect(preview.count).toBe(total);
      expect(preview.sample).toHaveLength(5);
      expect(preview.estimate).toEqual({
        whatsapp: "sekitar 50 hari (batas 200 pesan per hari)",
        telegram: "sekitar 6 menit",
      });
      const id = await createBroadcast(db, {
        organisationId,
        title: "Massal",
        text: "Halo {nama} di {kelurahan}",
        audience: {},
        now,
      });
      expect(await sendBroadcast(db, { organisationId, broadcastId: id, now })).toEqual({
        kind: "queued",
        queued: total,
      });
      const [check] = await db
        .select({
          rows: sql<number>`count(*)::int`,
          contacts: sql<number>`count(distinct ${outboxMessages.contactId})::int`,
          firstSequences: sql<number>`count(*) filter (where ${outboxMessages.sequence} = 1)::int`,
          filled: sql<number>`count(*) filter (where ${outboxMessages.payload}->>'text' like 'Halo Warga % di Manggar%BERHENTI%')::int`,
        })
        .from(outboxMessages)
        .where(eq(outboxMessages.broadcastId, id));
      expect(check).toEqual({ rows: total, contacts: total, firstSequences: total, filled: total });
    });
  });
});
