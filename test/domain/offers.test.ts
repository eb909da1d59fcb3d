import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { and, asc, eq, inArray, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { outboxMessages, registrations } from "../../src/db/schema/index.js";
import { seedDemo } from "../../src/db/seed.js";
import { answerOffer, expireOffers, readOfferAnswer } from "../../src/domain/offers.js";
import { cancelRegistration, register } from "../../src/domain/registrations.js";
import { parseFlows } from "../../src/engine/loader.js";
import { type EngineContext, step } from "../../src/engine/step.js";
import { describeEachDatabase } from "../support/database.js";
import { addProgramme, contextFor, now, type Resident, resident, runAction } from "./fixtures.js";

const HOUR = 3_600_000;
const at = (ms: number) => new Date(now.getTime() + ms);
/** now + 24 h: Minggu, 29 November 2026 pukul 10.00 WITA. */
const deadline = at(24 * HOUR);
const deadlineText = "Minggu, 29 November 2026 pukul 10.00 WITA";

async function statusOf(db: Db, registrationId: number) {
  const [row] = await db
    .select({
      status: registrations.status,
      position: registrations.waitlistPosition,
      expiresAt: registrations.offerExpiresAt,
    })
    .from(registrations)
    .where(eq(registrations.id, registrationId));
  return row;
}

async function messagesTo(db: Db, who: Resident) {
  const rows = await db
    .select({
      text: outboxMessages.payload,
      priority: outboxMessages.priority,
      dedupeKey: outboxMessages.dedupeKey,
    })
    .from(outboxMessages)
    .where(eq(outboxMessages.contactId, who.contactId))
    .orderBy(asc(outboxMessages.id));
  return rows.map((row) => ({ ...row, text: String(row.text.text) }));
}

/**
 * A programme with one seat, taken by `seated`, and `waiting` residents on the waitlist in
 * order; the seated resident then cancels, so the first waiting resident is offered the seat.
 */
async function freedSeat(db: Db, code: string, waiting: number, offerTtlMs?: number) {
  const title = `Kelas ${code}`;
  const programmeId = await addProgramme(db, {
    code,
    title,
    capacity: 1,
    sessions: [new Date("2026-12-01T01:00:00Z")],
  });
  const seated = await resident(db, `${code}-seated`);
  const seat = await register(db, { contactId: seated.contactId, programmeId, now });
  if (seat.result !== "registered") throw new Error("expected a seat");
  const line: { who: Resident; registrationId: number }[] = [];
  for (let i = 1; i <= waiting; i++) {
    const who = await resident(db, `${code}-w${i}`);
    const result = await register(db, { contactId: who.contactId, programmeId, now });
    if (result.result !== "waitlisted") throw new Error("expected the waitlist");
    line.push({ who, registrationId: result.registrationId });
  }
  await cancelRegistration(db, {
    contactId: seated.contactId,
    registrationId: seat.registrationId,
    now,
    offerTtlMs,
  });
  return { programmeId, title, line };
}

describe("readOfferAnswer", () => {
  it("reads accept and decline in everyday forms", () => {
    expect(
      ["TERIMA", "terima aja", "trima", "ambil kursi", "saya ambil"].map(readOfferAnswer),
    ).toEqual(["accept", "accept", "accept", "accept", "accept"]);
    expect(["TOLAK", "tolak aja", "ga ambil", "tidak ambil kursi"].map(readOfferAnswer)).toEqual([
      "decline",
      "decline",
      "decline",
      "decline",
    ]);
    expect(readOfferAnswer("halo")).toBeUndefined();
  });
});

const flowsFolder = fileURLToPath(new URL("../../flows", import.meta.url));
const flowFiles = readdirSync(flowsFolder)
  .filter((file) => file.endsWith(".yaml"))
  .map((file) => ({
    path: join(flowsFolder, file),
    text: readFileSync(join(flowsFolder, file), "utf8"),
  }));
const actionsNamed = (text: string) =>
  [...text.matchAll(/^\s*action:\s*(\S+)\s*$/gm)].map((match) => match[1] ?? "");

describe("flows/tawaran.yaml", () => {
  const context: EngineContext = {
    // Every action a flow names counts as known: flows/tawaran.yaml against the real registry
    // is checked by `npm run flows:check` and the loader tests; here only the engine matters.
    flows: parseFlows(flowFiles, new Set(flowFiles.flatMap(({ text }) => actionsNamed(text)))),
    now,
    idleTimeoutMs: 30 * 60_000,
    organisationName: "Dinas Sosial Kota Balikpapan",
  };
  const say = (text: string) =>
    step(context, null, { type: "message", content: { kind: "text", text } });

  it("starts on TERIMA / TOLAK but leaves 'terima kasih' to its own flow", () => {
    for (const text of ["TERIMA", "ambil kursi", "tolak", "ga ambil"]) {
      expect(say(text).call).toEqual({
        action: "registrations.answer_offer",
        args: { answer_text: text },
      });
    }
    expect(say("terima kasih").state).toBeNull();
    expect(say("terima kasih").call).toBeUndefined();
  });

  it("answers with the outcome, and asks which offer when there are several", () => {
    const started = say("terima");
    const accepted = step(context, started.state, {
      type: "action_result",
      result: {
        result: "accepted",
        title: "Kelas Batik",
        first_session: "Selasa, 1 Desember 2026 pukul 09.00 WITA",
        options: [],
        answer_word: "terima",
      },
    });
    expect(accepted.replies.map((r) => r.text)).toEqual([
      "✅ Kursi Anda di Kelas Batik sudah aman. Sesi pertama: Selasa, 1 Desember 2026 pukul 09.00 WITA. Kami akan mengirim pengingat sebelum sesi. Ketik SAYA untuk melihat pendaftaran Anda.",
    ]);
    const choose = step(context, say("tolak").state, {
      type: "action_result",
      result: {
        result: "choose",
        title: "",
        first_session: null,
        answer_word: "tolak",
        options: [
          { id: "7", label: "Kelas A (jawab sebelum Minggu, 29 November 2026 pukul 10.00 WITA)" },
          { id: "9", label: "Kelas B (jawab sebelum Minggu, 29 November 2026 pukul 10.00 WITA)" },
        ],
      },
    });
    expect(choose.replies[0]?.text).toContain("Tawaran mana yang ingin Anda tolak?");
    const chosen = step(context, choose.state, {
      type: "message",
      content: { kind: "text", text: "2" },
    });
    expect(chosen.call).toEqual({
      action: "registrations.answer_offer",
      args: { answer_text: "tolak", registration_id: "9" },
    });
  });
});

describeEachDatabase("seat offers", (database) => {
  beforeAll(async () => {
    await seedDemo(database().db, now);
  });

  it("offers a freed seat to the first in line with an absolute deadline, not a seat", async () => {
    const { db } = database();
    const { line, title } = await freedSeat(db, "OF01", 3);
    const [first, second, third] = line;
    expect(await statusOf(db, first!.registrationId)).toEqual({
      status: "offered",
      position: null,
      expiresAt: deadline,
    });
    expect(await statusOf(db, second!.registrationId)).toMatchObject({
      status: "waitlisted",
      position: 1,
    });
    expect(await statusOf(db, third!.registrationId)).toMatchObject({ position: 2 });
    const [notice, ...more] = await messagesTo(db, first!.who);
    expect(more).toEqual([]);
    expect(notice).toEqual({
      text:
        `Kabar baik! Ada kursi kosong di ${title}. Sesi pertama Anda: Selasa, 1 Desember 2026 pukul 09.00 WITA. ` +
        `Ketik TERIMA untuk mengambil kursi ini sebelum ${deadlineText}, atau TOLAK jika tidak jadi ikut. ` +
        "Jika belum ada jawaban sampai waktu itu, kursi ditawarkan ke warga berikutnya di daftar tunggu.",
      priority: 1,
      dedupeKey: `registration-offer:${first!.registrationId}`,
    });
    expect(notice!.text.length).toBeLessThan(600);
  });

  it("counts an offered seat as taken: a new registrant joins the waitlist", async () => {
    const { db } = database();
    const { programmeId } = await freedSeat(db, "OF02", 2);
    const late = await resident(db, "OF02-late");
    expect(
      await register(db, { contactId: late.contactId, programmeId, now: at(HOUR) }),
    ).toMatchObject({ result: "waitlisted", position: 2 });
  });

  it("shows the offer and its deadline in SAYA, and TERIMA within time takes the seat", async () => {
    const { db } = database();
    const { line, title } = await freedSeat(db, "OF03", 1);
    const offered = line[0]!;
    const context = contextFor(db, offered.who, at(2 * HOUR));
    const mine = await runAction("registrations.mine", context);
    expect(mine.text).toBe(
      [
        "Pendaftaran Anda:",
        `- ${title} — Ditawari kursi — jawab sebelum ${deadlineText}`,
        "Ketik TERIMA untuk mengambil kursi yang ditawarkan, atau TOLAK jika tidak jadi.",
      ].join("\n"),
    );
    expect(
      await runAction("registrations.answer_offer", context, { answer_text: "terima" }),
    ).toEqual({
      result: "accepted",
      title,
      first_session: "Selasa, 1 Desember 2026 pukul 09.00 WITA",
      options: [],
      answer_word: "terima",
    });
    expect(await statusOf(db, offered.registrationId)).toEqual({
      status: "registered",
      position: null,
      expiresAt: deadline,
    });
    // A second TERIMA (a resent message) changes nothing and still says the seat is safe.
    expect(
      (await runAction("registrations.answer_offer", context, { answer_text: "terima" })).result,
    ).toBe("accepted");
    // The sweep after the deadline leaves an accepted seat alone.
    await expireOffers(db, { now: at(25 * HOUR) });
    expect((await statusOf(db, offered.registrationId))?.status).toBe("registered");
  });

  it("TOLAK cancels the offer and offers the seat to the next in line", async () => {
    const { db } = database();
    const { line } = await freedSeat(db, "OF04", 3);
    const [first, second, third] = line;
    const answered = at(3 * HOUR);
    expect(
      await runAction("registrations.answer_offer", contextFor(db, first!.who, answered), {
        answer_text: "tolak aja",
      }),
    ).toMatchObject({ result: "declined", title: "Kelas OF04" });
    expect((await statusOf(db, first!.registrationId))?.status).toBe("cancelled");
    expect(await statusOf(db, second!.registrationId)).toEqual({
      status: "offered",
      position: null,
      expiresAt: at(27 * HOUR),
    });
    expect(await statusOf(db, third!.registrationId)).toMatchObject({
      status: "waitlisted",
      position: 1,
    });
    const [notice] = await messagesTo(db, second!.who);
    expect(notice?.text).toContain("sebelum Minggu, 29 November 2026 pukul 13.00 WITA");
    // Answering again: the offer is gone (declined is not "expired").
    expect(
      (
        await runAction("registrations.answer_offer", contextFor(db, first!.who, answered), {
          answer_text: "terima",
        })
      ).result,
    ).toBe("no_offer");
  });

  it("the sweep ends lapsed offers, tells the resident, offers the next; twice is once", async () => {
    const { db } = database();
    const { line, title } = await freedSeat(db, "OF05", 2);
    const [first, second] = line;
    // Before the deadline nothing lapses; at the deadline it does.
    expect(await expireOffers(db, { now: at(24 * HOUR - 1) })).toEqual({ expired: 0, offered: 0 });
    const swept = at(24 * HOUR + 30_000);
    const result = await expireOffers(db, { now: swept });
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect((await statusOf(db, first!.registrationId))?.status).toBe("cancelled");
    expect(await statusOf(db, second!.registrationId)).toEqual({
      status: "offered",
      position: null,
      expiresAt: new Date(swept.getTime() + 24 * HOUR),
    });
    const toFirst = await messagesTo(db, first!.who);
    expect(toFirst.map((m) => m.dedupeKey)).toEqual([
      `registration-offer:${first!.registrationId}`,
      `registration-offer-expired:${first!.registrationId}`,
    ]);
    expect(toFirst[1]?.text).toBe(
      `Tawaran kursi di ${title} sudah berakhir karena belum ada jawaban sampai ${deadlineText}. Kursi itu kini ditawarkan ke warga berikutnya. Ketik DAFTAR untuk melihat program lain.`,
    );
    expect(await messagesTo(db, second!.who)).toHaveLength(1);

    const before = await db.select({ id: outboxMessages.id }).from(outboxMessages);
    expect(await expireOffers(db, { now: swept })).toEqual({ expired: 0, offered: 0 });
    expect(await db.select({ id: outboxMessages.id }).from(outboxMessages)).toEqual(before);

    // TERIMA after the sweep: the offer has ended.
    expect(
      await runAction("registrations.answer_offer", contextFor(db, first!.who, at(30 * HOUR)), {
        answer_text: "terima",
      }),
    ).toMatchObject({ result: "expired", title });
  });

  it("an answer after the deadline, before any sweep, ends the offer itself", async () => {
    const { db } = database();
    const { line, programmeId } = await freedSeat(db, "OF06", 1);
    const first = line[0]!;
    expect(
      await answerOffer(db, { contactId: first.who.contactId, answer: "accept", now: deadline }),
    ).toEqual({ result: "expired", title: "Kelas OF06" });
    expect((await statusOf(db, first.registrationId))?.status).toBe("cancelled");
    // The seat is free again: the next registrant gets it directly.
    const late = await resident(db, "OF06-late");
    expect(
      (await register(db, { contactId: late.contactId, programmeId, now: deadline })).result,
    ).toBe("registered");
  });

  it("uses the configured time to answer", async () => {
    const { db } = database();
    const { line } = await freedSeat(db, "OF07", 1, 2 * HOUR);
    expect((await statusOf(db, line[0]!.registrationId))?.expiresAt).toEqual(at(2 * HOUR));
    await expireOffers(db, { now: at(2 * HOUR), offerTtlMs: 2 * HOUR });
    expect((await statusOf(db, line[0]!.registrationId))?.status).toBe("cancelled");
  });

  it("answers no_offer without an offer, and asks which when there are several", async () => {
    const { db } = database();
    const nobody = await resident(db, "OF08-nobody");
    expect(
      await runAction("registrations.answer_offer", contextFor(db, nobody), {
        answer_text: "terima",
      }),
    ).toMatchObject({ result: "no_offer" });

    // One resident waiting in two programmes, offered both seats.
    const who = await resident(db, "OF08-both");
    const offers: number[] = [];
    for (const code of ["OF08A", "OF08B"]) {
      const programmeId = await addProgramme(db, { code, title: `Kelas ${code}`, capacity: 1 });
      const seated = await resident(db, `${code}-seated`);
      const seat = await register(db, { contactId: seated.contactId, programmeId, now });
      const wait = await register(db, { contactId: who.contactId, programmeId, now });
      if (seat.result !== "registered" || wait.result !== "waitlisted") throw new Error("setup");
      await cancelRegistration(db, {
        contactId: seated.contactId,
        registrationId: seat.registrationId,
        now,
      });
      offers.push(wait.registrationId);
    }
    const context = contextFor(db, who, at(HOUR));
    expect(
      await runAction("registrations.answer_offer", context, { answer_text: "tolak" }),
    ).toEqual({
      result: "choose",
      title: "",
      first_session: null,
      answer_word: "tolak",
      options: [
        { id: String(offers[0]), label: `Kelas OF08A (jawab sebelum ${deadlineText})` },
        { id: String(offers[1]), label: `Kelas OF08B (jawab sebelum ${deadlineText})` },
      ],
    });
    expect(
      await runAction("registrations.answer_offer", context, {
        answer_text: "tolak",
        registration_id: String(offers[1]),
      }),
    ).toMatchObject({ result: "declined", title: "Kelas OF08B" });
    const statuses = await db
      .select({ id: registrations.id, status: registrations.status })
      .from(registrations)
      .where(inArray(registrations.id, offers))
      .orderBy(asc(registrations.id));
    expect(statuses.map((r) => r.status)).toEqual(["offered", "cancelled"]);
  });

  it("an answer racing the sweep has one outcome only", async () => {
    const { db } = database();
    for (let round = 0; round < 4; round++) {
      const { line, programmeId } = await freedSeat(db, `OF09${round}`, 2);
      const [first, second] = line;
      // The resident answers a moment before the deadline; a sweep with a later clock runs at
      // the same time (the same clock for both is the "answer after the deadline" case).
      const [answered, swept] = await Promise.all([
        runAction("registrations.answer_offer", contextFor(db, first!.who, at(24 * HOUR - 1_000)), {
          answer_text: "terima",
        }),
        expireOffers(db, { now: at(24 * HOUR + 1_000) }),
      ]);
      const status = (await statusOf(db, first!.registrationId))?.status;
      const nextStatus = (await statusOf(db, second!.registrationId))?.status;
      const expiredNotices = await db
        .select({ id: outboxMessages.id })
        .from(outboxMessages)
        .where(
          like(outboxMessages.dedupeKey, `registration-offer-expired:${first!.registrationId}`),
        );
      const seats = await db
        .select({ id: registrations.id })
        .from(registrations)
        .where(
          and(
            eq(registrations.programmeId, programmeId),
            inArray(registrations.status, ["registered", "offered"]),
          ),
        );
      expect(seats).toHaveLength(1);
      if (answered.result === "accepted") {
        expect([status, nextStatus, expiredNotices.length]).toEqual([
          "registered",
          "waitlisted",
          0,
        ]);
      } else {
        expect(answered.result).toBe("expired");
        expect(swept.expired).toBeGreaterThanOrEqual(1);
        expect([status, nextStatus, expiredNotices.length]).toEqual(["cancelled", "offered", 1]);
        expect(await messagesTo(db, second!.who)).toHaveLength(1);
      }
    }
  });
});
