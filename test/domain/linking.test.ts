import { and, eq, is, isNull, ne } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { beforeAll, expect, it } from "vitest";
import type { ChannelName } from "../../src/channels/contract.js";
import { loadConfig } from "../../src/config.js";
import { openCore } from "../../src/core.js";
import type { Db } from "../../src/db/client.js";
import * as schema from "../../src/db/schema/index.js";
import {
  auditLog,
  channelIdentities,
  contactLinks,
  contacts,
  conversations,
  inboundMessages,
  needReports,
  outboxMessages,
  registrations,
} from "../../src/db/schema/index.js";
import { seedDemo } from "../../src/db/seed.js";
import type { ActionContext } from "../../src/domain/action.js";
import { ensureIdentity } from "../../src/domain/contacts.js";
import { createLogger } from "../../src/log.js";
import { describeEachDatabase } from "../support/database.js";
import { noEnvFile } from "../support/process.js";
import { addProgramme, contextFor, now, resident, runAction, withMessage } from "./fixtures.js";

const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

/** Every row of every table, as JSON text. */
async function everything(db: Db): Promise<string> {
  const tables = Object.values(schema).filter((value) => is(value, PgTable));
  const dumps = await Promise.all(
    tables.map(async (table) => JSON.stringify(await db.select().from(table))),
  );
  return dumps.join("\n");
}

/** A resident who wrote once on `channel`; WhatsApp tells their phone. */
async function onApp(db: Db, channel: ChannelName, externalId: string, phone?: string) {
  const identity = await ensureIdentity(db, {
    channel,
    externalId,
    displayName: `Warga ${externalId}`,
    ...(phone ? { phone } : {}),
    now,
  });
  const who = await withMessage(db, identity);
  const context: ActionContext = { ...contextFor(db, who), channel };
  return { ...who, context };
}

/** Consent and a complete profile. */
async function registered(context: ActionContext, name: string, groups: string[] = []) {
  await runAction("consent.record", context, { granted: true, text: "Setuju" });
  await runAction("profile.save", context, {
    name,
    kecamatan: "64.71.04",
    kelurahan: "64.71.04.1002",
    groups,
  });
}

const fixedCode = (code: string) => () => code;

describeEachDatabase("linking two apps of one resident", (database) => {
  beforeAll(async () => {
    await seedDemo(database().db, now);
  });

  it("finds another resident with the phone, never an erased one or the one asking", async () => {
    const { db } = database();
    const wa = await onApp(db, "whatsapp", "6281200000001@c.us", "+6281200000001");
    const tg = await onApp(db, "telegram", "900001");
    const candidate = (context: ActionContext, phone: string) =>
      runAction("link.candidate", context, { phone });

    expect(await candidate(tg.context, "+6281200000001")).toEqual({
      found: true,
      channel_label: "WhatsApp",
    });
    expect(await candidate(wa.context, "+6281200000001")).toEqual({
      found: false,
      channel_label: null,
    });
    expect(await candidate(tg.context, "+6281299999999")).toEqual({
      found: false,
      channel_label: null,
    });

    // A phone typed into the profile counts as well as one an app reported.
    const sim = await onApp(db, "simulator", "l1-sim");
    await runAction("profile.save", sim.context, {
      name: "Rina",
      kecamatan: "64.71.04",
      kelurahan: "64.71.04.1002",
      groups: [],
      phone: "+6281200000002",
    });
    expect(await candidate(tg.context, "+6281200000002")).toEqual({
      found: true,
      channel_label: "Simulator",
    });

    await db.update(contacts).set({ erasedAt: now }).where(eq(contacts.id, sim.contactId));
    expect(await candidate(tg.context, "+6281200000002")).toMatchObject({ found: false });
  });

  it("sends the code to the other app only, and keeps only its hash", async () => {
    const { db } = database();
    const wa = await onApp(db, "whatsapp", "6281200000003@c.us", "+6281200000003");
    const tg = await onApp(db, "telegram", "900003");

    expect(await runAction("link.start", tg.context, { phone: "+6281200000003" })).toEqual({
      sent: true,
    });

    const [message] = await db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.contactId, wa.contactId));
    expect(message).toMatchObject({
      identityId: wa.identityId,
      channel: "whatsapp",
      status: "pending",
      inboundId: null,
    });
    const text = String(message?.payload.text);
    expect(text).toMatch(
      /^Kode untuk menghubungkan akun Telegram Anda dengan Berdaya: \d{6}\. Berlaku 15 menit\. Jangan berikan kode ini kepada siapa pun\. Abaikan pesan ini jika Anda tidak memintanya\.$/,
    );
    const code = /\d{6}/.exec(text)?.[0] ?? "";
    const dump = await everything(db);
    expect(dump.split(code).length - 1).toBe(1);
    const [link] = await db
      .select()
      .from(contactLinks)
      .where(eq(contactLinks.contactId, tg.contactId));
    expect(link).toMatchObject({
      targetContactId: wa.contactId,
      attempts: 0,
      linkedAt: null,
      expiresAt: later(15),
    });
    expect(link?.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(
      await db.select().from(outboxMessages).where(eq(outboxMessages.contactId, tg.contactId)),
    ).toEqual([]);
  });

  it("the right code makes one resident: identities, registrations and reports follow", async () => {
    const { db } = database();
    const wa = await onApp(db, "whatsapp", "6281200000004@c.us", "+6281200000004");
    const tg = await onApp(db, "telegram", "900004");
    const other = await resident(db, "l3-other");
    await registered(wa.context, "Siti Aminah");
    await registered(tg.context, "Siti Telegram", ["ibu_rumah_tangga"]);
    const both = await addProgramme(db, { code: "LNK01", title: "Kelas Sulam", capacity: 2 });
    const onlyTelegram = await addProgramme(db, { code: "LNK02", title: "Kelas Kue", capacity: 5 });
    await runAction("registrations.create", wa.context, { programme_id: both });
    await runAction("registrations.create", tg.context, { programme_id: both });
    await runAction("registrations.create", contextFor(db, other), { programme_id: both });
    await runAction("registrations.create", tg.context, { programme_id: onlyTelegram });
    const { ticket } = await runAction("needs.create", tg.context, {
      category: "pangan",
      description: "butuh sembako",
      kecamatan: "64.71.04",
      kelurahan: "64.71.04.1002",
    });
    await db.insert(conversations).values({ contactId: tg.contactId, flowId: "profil" });

    const moved: number[] = [];
    const asking: ActionContext = {
      ...tg.context,
      randomCode: fixedCode("123456"),
      contactMoved: (contactId) => moved.push(contactId),
    };
    await runAction("link.start", asking, { phone: "+6281200000004" });
    expect(await runAction("link.confirm", asking, { code: " 123 456 " })).toEqual({
      result: "linked",
    });
    expect(moved).toEqual([wa.contactId]);

    // Both addresses are one resident now.
    const identities = await db
      .select({ id: channelIdentities.id, contactId: channelIdentities.contactId })
      .from(channelIdentities)
      .where(eq(channelIdentities.contactId, wa.contactId));
    expect(identities.map((i) => i.id).sort()).toEqual([wa.identityId, tg.identityId].sort());
    const again = await ensureIdentity(db, { channel: "telegram", externalId: "900004", now });
    expect(again.contactId).toBe(wa.contactId);

    // The duplicate seat is given up; the rest follows the resident.
    const seats = await db
      .select({ contactId: registrations.contactId, status: registrations.status })
      .from(registrations)
      .where(eq(registrations.programmeId, both))
      .orderBy(registrations.id);
    expect(seats.slice(0, 2)).toEqual([
      { contactId: wa.contactId, status: "registered" },
      { contactId: null, status: "cancelled" },
    ]);
    // The freed seat goes to the waitlist, the way fillFreedSeat gives it (a seat or an offer).
    expect(seats[2]?.contactId).toBe(other.contactId);
    expect(seats[2]?.status).not.toBe("waitlisted");
    const [kue] = await db
      .select({ contactId: registrations.contactId, status: registrations.status })
      .from(registrations)
      .where(eq(registrations.programmeId, onlyTelegram));
    expect(kue).toEqual({ contactId: wa.contactId, status: "registered" });
    const [report] = await db
      .select({ contactId: needReports.contactId })
      .from(needReports)
      .where(eq(needReports.id, Number(String(ticket).slice(4))));
    expect(report?.contactId).toBe(wa.contactId);

    // The first profile stays; its empty fields are filled in.
    expect(await runAction("contact.status", wa.context)).toMatchObject({
      name: "Siti Aminah",
      consent: "given",
      profile_complete: true,
    });
    const [target] = await db.select().from(contacts).where(eq(contacts.id, wa.contactId));
    expect(target?.groups).toEqual(["ibu_rumah_tangga"]);

    // The contact that asked holds nothing personal and is no resident any more.
    const [merged] = await db.select().from(contacts).where(eq(contacts.id, tg.contactId));
    expect(merged).toMatchObject({
      name: null,
      phone: null,
      kecamatanCode: null,
      kelurahanCode: null,
      groups: [],
      disabilityTypes: null,
      consentedAt: null,
      erasedAt: now,
      mergedIntoContactId: wa.contactId,
    });
    const dump = await everything(db);
    expect(dump).not.toContain("Siti Telegram");
    expect(
      await db.select().from(conversations).where(eq(conversations.contactId, tg.contactId)),
    ).toEqual([]);
    expect(
      await runAction("link.candidate", contextFor(db, other), { phone: "+6281200000004" }),
    ).toEqual({ found: true, channel_label: "Telegram" });

    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "contact.linked"));
    expect(audits).toEqual([
      expect.objectContaining({
        subjectType: "contact",
        subjectId: String(wa.contactId),
        details: {
          merged_contact_id: tg.contactId,
          identities_moved: 1,
          registrations_moved: 1,
          registrations_cancelled: 1,
          need_reports_moved: 1,
        },
      }),
    ]);
    const [link] = await db
      .select()
      .from(contactLinks)
      .where(eq(contactLinks.contactId, tg.contactId));
    expect(link).toMatchObject({ attempts: 1, linkedAt: now });
  });

  it("keeps the seat when the first app was only on the waitlist", async () => {
    const { db } = database();
    const wa = await onApp(db, "whatsapp", "6281200000005@c.us", "+6281200000005");
    const tg = await onApp(db, "telegram", "900005");
    const full = await addProgramme(db, { code: "LNK03", title: "Kelas Batik", capacity: 1 });
    await runAction("registrations.create", tg.context, { programme_id: full });
    await runAction("registrations.create", wa.context, { programme_id: full });
    const asking = { ...tg.context, randomCode: fixedCode("654321") };
    await runAction("link.start", asking, { phone: "+6281200000005" });
    await runAction("link.confirm", asking, { code: "654321" });
    const rows = await db
      .select({ contactId: registrations.contactId, status: registrations.status })
      .from(registrations)
      .where(eq(registrations.programmeId, full))
      .orderBy(registrations.id);
    expect(rows).toEqual([
      { contactId: wa.contactId, status: "registered" },
      { contactId: null, status: "cancelled" },
    ]);
  });

  it("counts a wrong code, not a message without a code, and refuses a late one", async () => {
    const { db } = database();
    await onApp(db, "whatsapp", "6281200000006@c.us", "+6281200000006");
    const tg = await onApp(db, "telegram", "900006");
    const asking = { ...tg.context, randomCode: fixedCode("111111") };
    await runAction("link.start", asking, { phone: "+6281200000006" });
    const confirm = (code: string, at = now) =>
      runAction("link.confirm", { ...asking, now: at }, { code });

    expect(await confirm("111112")).toEqual({ result: "wrong" });
    expect(await confirm("belum dapat kodenya")).toEqual({ result: "wrong" });
    const [link] = await db
      .select({ attempts: contactLinks.attempts })
      .from(contactLinks)
      .where(eq(contactLinks.contactId, tg.contactId));
    expect(link?.attempts).toBe(1);

    expect(await confirm("111111", later(15))).toEqual({ result: "expired" });
    const [still] = await db
      .select({ contactId: channelIdentities.contactId })
      .from(channelIdentities)
      .where(eq(channelIdentities.id, tg.identityId));
    expect(still?.contactId).toBe(tg.contactId);
  });

  it("refuses the sixth try, even with the right code", async () => {
    const { db } = database();
    await onApp(db, "whatsapp", "6281200000007@c.us", "+6281200000007");
    const tg = await onApp(db, "telegram", "900007");
    const asking = { ...tg.context, randomCode: fixedCode("222222") };
    await runAction("link.start", asking, { phone: "+6281200000007" });
    const results = [];
    for (const code of ["000001", "000002", "000003", "000004", "000005", "222222"]) {
      results.push((await runAction("link.confirm", asking, { code })).result);
    }
    expect(results).toEqual(["wrong", "wrong", "wrong", "wrong", "expired", "expired"]);
    const [contact] = await db.select().from(contacts).where(eq(contacts.id, tg.contactId));
    expect(contact?.mergedIntoContactId).toBeNull();
  });

  it("sends at most 3 codes an hour to one resident, and a new code replaces the old", async () => {
    const { db } = database();
    await onApp(db, "whatsapp", "6281200000008@c.us", "+6281200000008");
    const tg = await onApp(db, "telegram", "900008");
    const codes = ["300001", "300002", "300003", "300004"];
    const asking = { ...tg.context, randomCode: () => codes.shift() ?? "" };
    const sent = [];
    for (let i = 0; i < 4; i++) {
      sent.push((await runAction("link.start", asking, { phone: "+6281200000008" })).sent);
    }
    expect(sent).toEqual([true, true, true, false]);
    expect(await runAction("link.confirm", asking, { code: "300001" })).toEqual({
      result: "wrong",
    });
    expect(await runAction("link.confirm", asking, { code: "300003" })).toEqual({
      result: "linked",
    });
  });

  it("a message stored before the link is answered as the linked resident", async () => {
    const db = database();
    const wa = await onApp(db.db, "whatsapp", "6281200000009@c.us", "+6281200000009");
    const tg = await onApp(db.db, "telegram", "900009");
    const [waiting] = await db.db
      .insert(inboundMessages)
      .values({
        channel: "telegram",
        externalId: "update-l9",
        identityId: tg.identityId,
        contactId: tg.contactId,
        kind: "text",
        text: "menu",
        receivedAt: now,
      })
      .returning({ id: inboundMessages.id });
    const asking = { ...tg.context, randomCode: fixedCode("444444") };
    await runAction("link.start", asking, { phone: "+6281200000009" });
    await runAction("link.confirm", asking, { code: "444444" });
    // Only the waiting message is left for the pipeline to process when it starts.
    await db.db
      .update(inboundMessages)
      .set({ processedAt: now })
      .where(and(isNull(inboundMessages.processedAt), ne(inboundMessages.id, waiting!.id)));

    const config = loadConfig({ SEED_DEMO: "false", LOG_LEVEL: "silent" }, noEnvFile);
    const core = await openCore(config, createLogger("silent"), { database: db, clock: () => now });
    try {
      const [inbound] = await db.db
        .select()
        .from(inboundMessages)
        .where(eq(inboundMessages.id, waiting!.id));
      expect(inbound).toMatchObject({ contactId: wa.contactId, processedAt: now });
      const replies = await db.db
        .select()
        .from(outboxMessages)
        .where(eq(outboxMessages.inboundId, waiting!.id));
      expect(replies.length).toBeGreaterThan(0);
      expect(replies[0]).toMatchObject({ contactId: wa.contactId, identityId: tg.identityId });
    } finally {
      await core.close();
    }
  });

  it("erasing the resident later also clears the history of the linked contact", async () => {
    const { db } = database();
    const wa = await onApp(db, "whatsapp", "6281200000010@c.us", "+6281200000010");
    const tg = await onApp(db, "telegram", "900010");
    await db
      .update(inboundMessages)
      .set({ text: "saya Siti dari Telegram" })
      .where(eq(inboundMessages.id, tg.inboundId));
    const asking = { ...tg.context, randomCode: fixedCode("555555") };
    await runAction("link.start", asking, { phone: "+6281200000010" });
    await runAction("link.confirm", asking, { code: "555555" });
    expect(await everything(db)).toContain("saya Siti dari Telegram");
    await runAction("contact.erase", wa.context, { farewell: "Data Anda sudah dihapus." });
    expect(await everything(db)).not.toContain("saya Siti dari Telegram");
  });
});
