import { and, asc, eq, like } from "drizzle-orm";
import { Registry } from "prom-client";
import { beforeAll, describe, expect, it } from "vitest";
import { flowsFolder } from "../../src/core.js";
import type { Db } from "../../src/db/client.js";
import {
  attendance,
  outboxMessages,
  programmeSessions,
  registrations,
} from "../../src/db/schema/index.js";
import { seedDemo } from "../../src/db/seed.js";
import type { ActionContext } from "../../src/domain/action.js";
import { actions } from "../../src/domain/actions.js";
import { cancelRegistration, register } from "../../src/domain/registrations.js";
import {
  parseRsvp,
  planReminders,
  registrationCancelled,
  scheduleReminders,
  sessionCancelled,
  sessionMoved,
} from "../../src/domain/reminders.js";
import { loadFlows } from "../../src/engine/loader.js";
import { createInboundPipeline } from "../../src/inbound/pipeline.js";
import { pipelineMetrics } from "../../src/inbound/pipeline-metrics.js";
import { createLogger } from "../../src/log.js";
import { describeEachDatabase } from "../support/database.js";
import { addProgramme, contextFor, now, resident } from "./fixtures.js";

const registry = actions;

/** An instant at a WITA wall-clock time: "2026-11-30 08:00" → 2026-11-30T00:00Z. */
const wita = (local: string) => new Date(`${local.replace(" ", "T")}:00+08:00`);
const timing = { dayBeforeAt: "16:00", hoursBefore: 2 };

async function rsvp(context: ActionContext, args: Record<string, unknown>) {
  const action = registry["attendance.rsvp"];
  if (!action) throw new Error("attendance.rsvp is missing");
  return action.run(context, action.args.parse(args));
}

/** The reminder rows of one registration (any status), oldest first. */
function remindersOf(db: Db, registrationId: number) {
  return db
    .select({
      key: outboxMessages.dedupeKey,
      status: outboxMessages.status,
      notBefore: outboxMessages.notBefore,
      priority: outboxMessages.priority,
      text: outboxMessages.payload,
      lastError: outboxMessages.lastError,
    })
    .from(outboxMessages)
    .where(like(outboxMessages.dedupeKey, `reminder:%:${registrationId}:%`))
    .orderBy(asc(outboxMessages.notBefore), asc(outboxMessages.id));
}

/** Everything queued for a contact, oldest first. */
function outboxOf(db: Db, contactId: number) {
  return db
    .select({
      key: outboxMessages.dedupeKey,
      status: outboxMessages.status,
      text: outboxMessages.payload,
    })
    .from(outboxMessages)
    .where(eq(outboxMessages.contactId, contactId))
    .orderBy(asc(outboxMessages.id));
}

async function sessionsOf(db: Db, programmeId: number) {
  return db
    .select({ id: programmeSessions.id, startsAt: programmeSessions.startsAt })
    .from(programmeSessions)
    .where(eq(programmeSessions.programmeId, programmeId))
    .orderBy(asc(programmeSessions.startsAt));
}

/** A programme with the given session starts, and one resident holding a seat in it. */
async function seated(db: Db, code: string, starts: Date[], bring = "") {
  const programmeId = await addProgramme(db, {
    code,
    title: `Kelas ${code}`,
    capacity: 5,
    sessions: starts,
  });
  if (bring) {
    await db
      .update(programmeSessions)
      .set({ whatToBring: bring })
      .where(eq(programmeSessions.programmeId, programmeId));
  }
  const who = await resident(db, `warga-${code}`);
  const registered = await register(db, { contactId: who.contactId, programmeId, now });
  if (registered.result !== "registered") throw new Error(`not seated: ${registered.result}`);
  return { programmeId, who, registrationId: registered.registrationId };
}

describe("when reminders go out", () => {
  it("is the day before at 16.00 WITA and 2 hours before the start", () => {
    expect(planReminders(wita("2026-11-30 08:00"), now, timing)).toEqual([
      { kind: "day_before", notBefore: new Date("2026-11-29T08:00:00Z"), late: false },
      { kind: "hours_before", notBefore: new Date("2026-11-29T22:00:00Z"), late: false },
    ]);
  });

  it("takes the day before in WITA, not in UTC, for an early-morning session", () => {
    // Senin 07.00 WITA is still Minggu 23.00 UTC: the day before is Minggu 16.00 WITA.
    expect(planReminders(wita("2026-11-30 07:00"), now, timing)).toEqual([
      { kind: "day_before", notBefore: new Date("2026-11-29T08:00:00Z"), late: false },
      { kind: "hours_before", notBefore: new Date("2026-11-29T21:00:00Z"), late: false },
    ]);
  });

  it("sends a missed reminder at once while it still helps, and skips it otherwise", () => {
    const start = wita("2026-11-30 08:00");
    // After 16.00 the day before: the day-before reminder goes now.
    expect(planReminders(start, wita("2026-11-29 18:00"), timing)).toEqual([
      { kind: "day_before", notBefore: wita("2026-11-29 18:00"), late: true },
      { kind: "hours_before", notBefore: wita("2026-11-30 06:00"), late: false },
    ]);
    // Already the day of the session: only the hours-before one.
    expect(planReminders(start, wita("2026-11-30 01:00"), timing)).toEqual([
      { kind: "hours_before", notBefore: wita("2026-11-30 06:00"), late: false },
    ]);
    // Less than 2 hours left: the hours-before reminder goes now.
    expect(planReminders(start, wita("2026-11-30 07:00"), timing)).toEqual([
      { kind: "hours_before", notBefore: wita("2026-11-30 07:00"), late: true },
    ]);
    // Under 30 minutes left, or started: nothing.
    expect(planReminders(start, wita("2026-11-30 07:45"), timing)).toEqual([]);
    expect(planReminders(start, wita("2026-11-30 08:00"), timing)).toEqual([]);
  });
});

describe("reading HADIR / TIDAK HADIR", () => {
  it.each([
    ["hadir", "hadir"],
    ["HADIR", "hadir"],
    ["hadir bu", "hadir"],
    ["Insyaallah hadir 🙏", "hadir"],
    ["siap hadir kak", "hadir"],
    ["hadirr", "hadir"],
    ["kalau tidak hujan saya hadir", "hadir"],
    ["izin bu, saya hadir agak telat", "hadir"],
    ["tidak hadir", "tidak"],
    ["tdk hadir", "tidak"],
    ["gak bisa hadir", "tidak"],
    ["ga bs hadir bu", "tidak"],
    ["mohon maaf tidak dapat hadir", "tidak"],
    ["izin tidak hadir, anak sakit", "tidak"],
    ["berhalangan", "tidak"],
    ["berhalangan hadir", "tidak"],
    ["belum tentu bisa hadir", "tidak"],
    ["kada kawa hadir", "tidak"],
    ["tidak bisa datang", "tidak"],
    ["jadwal", undefined],
    ["saya Kadir", undefined],
    ["hadri", undefined],
  ])("%s → %s", (text, answer) => {
    expect(parseRsvp(text)).toBe(answer);
  });
});

describeEachDatabase("session reminders", (database) => {
  beforeAll(async () => {
    await seedDemo(database().db, now);
  });

  it("queues both reminders at the right WITA instants, as notices with absolute dates", async () => {
    const { db } = database();
    const { registrationId, programmeId } = await seated(
      db,
      "RMD01",
      [wita("2026-11-30 07:00")],
      "Kain katun 1 meter dan alat tulis.",
    );
    const [session] = await sessionsOf(db, programmeId);
    const result = await scheduleReminders(db, { now });
    expect(result.queued).toBeGreaterThanOrEqual(2);
    const rows = await remindersOf(db, registrationId);
    expect(rows).toEqual([
      {
        key: `reminder:${session!.id}:${registrationId}:day_before:2026-11-29T23:00:00.000Z`,
        status: "pending",
        notBefore: new Date("2026-11-29T08:00:00Z"),
        priority: 1,
        text: {
          text: "Pengingat: besok, Senin, 30 November 2026 pukul 07.00 WITA, sesi Kelas RMD01 di Balai Warga RT 05. Bawa: Kain katun 1 meter dan alat tulis. Apakah Anda akan hadir? Ketik HADIR atau TIDAK HADIR.",
        },
        lastError: null,
      },
      {
        key: `reminder:${session!.id}:${registrationId}:hours_before:2026-11-29T23:00:00.000Z`,
        status: "pending",
        notBefore: new Date("2026-11-29T21:00:00Z"),
        priority: 1,
        text: {
          text: "Pengingat: hari ini, Senin, 30 November 2026 pukul 07.00 WITA, sesi Kelas RMD01 di Balai Warga RT 05. Bawa: Kain katun 1 meter dan alat tulis. Apakah Anda akan hadir? Ketik HADIR atau TIDAK HADIR.",
        },
        lastError: null,
      },
    ]);
    for (const row of rows) expect((row.text as { text: string }).text.length).toBeLessThan(600);
  });

  it("adds nothing when swept again, and only sessions within 8 days", async () => {
    const { db } = database();
    const { registrationId } = await seated(db, "RMD02", [
      wita("2026-12-01 09:00"),
      wita("2026-12-10 09:00"),
    ]);
    await scheduleReminders(db, { now });
    const first = await remindersOf(db, registrationId);
    expect(first).toHaveLength(2);
    expect(first.every((row) => row.key?.includes("2026-12-01T01:00:00.000Z"))).toBe(true);
    expect(await scheduleReminders(db, { now })).toEqual({ queued: 0, withdrawn: 0 });
    expect(await remindersOf(db, registrationId)).toEqual(first);
    // A week later the second session comes into view.
    await scheduleReminders(db, { now: wita("2026-12-05 10:00") });
    expect(await remindersOf(db, registrationId)).toHaveLength(4);
  });

  it("leaves waitlisted residents and cancelled sessions out", async () => {
    const { db } = database();
    const programmeId = await addProgramme(db, {
      code: "RMD03",
      title: "Kelas Kecil",
      capacity: 1,
      sessions: [wita("2026-12-01 09:00"), wita("2026-12-02 09:00")],
    });
    const seatedOne = await resident(db, "rmd03-a");
    const waiting = await resident(db, "rmd03-b");
    const a = await register(db, { contactId: seatedOne.contactId, programmeId, now });
    const b = await register(db, { contactId: waiting.contactId, programmeId, now });
    const [, second] = await sessionsOf(db, programmeId);
    await db
      .update(programmeSessions)
      .set({ status: "cancelled" })
      .where(eq(programmeSessions.id, second!.id));
    await scheduleReminders(db, { now });
    if (a.result !== "registered" || b.result !== "waitlisted") throw new Error("setup");
    expect(await remindersOf(db, a.registrationId)).toHaveLength(2);
    expect(await remindersOf(db, b.registrationId)).toHaveLength(0);
  });

  it("withdraws a moved session's reminders, tells the resident, and the next sweep reminds anew", async () => {
    const { db } = database();
    const { registrationId, programmeId, who } = await seated(db, "RMD04", [
      wita("2026-12-01 08:00"),
    ]);
    await scheduleReminders(db, { now });
    const [session] = await sessionsOf(db, programmeId);
    const previousStartsAt = session!.startsAt;
    await db
      .update(programmeSessions)
      .set({ startsAt: wita("2026-12-02 13:00"), endsAt: wita("2026-12-02 16:00") })
      .where(eq(programmeSessions.id, session!.id));

    expect(await sessionMoved(db, { sessionId: session!.id, previousStartsAt, now })).toEqual({
      result: "done",
      withdrawn: 2,
      notified: 1,
    });
    const old = await remindersOf(db, registrationId);
    expect(old.map((row) => [row.status, row.lastError])).toEqual([
      ["cancelled", "Dibatalkan: jadwal sesi dipindah"],
      ["cancelled", "Dibatalkan: jadwal sesi dipindah"],
    ]);
    const notices = (await outboxOf(db, who.contactId)).filter((row) =>
      row.key?.startsWith("session-moved:"),
    );
    expect(notices).toEqual([
      {
        key: `session-moved:${session!.id}:${registrationId}:2026-12-02T05:00:00.000Z`,
        status: "pending",
        text: {
          text: "Perubahan jadwal: sesi Kelas RMD04 yang semula Selasa, 1 Desember 2026 pukul 08.00 WITA dipindah ke Rabu, 2 Desember 2026 pukul 13.00 WITA di Balai Warga RT 05. Pengingat akan kami kirim sebelum sesi. Ketik JADWAL untuk melihat jadwal Anda.",
        },
      },
    ]);

    await scheduleReminders(db, { now });
    const fresh = (await remindersOf(db, registrationId)).filter((row) => row.status === "pending");
    expect(fresh.map((row) => row.notBefore)).toEqual([
      wita("2026-12-01 16:00"),
      wita("2026-12-02 11:00"),
    ]);
    expect((fresh[0]!.text as { text: string }).text).toContain(
      "besok, Rabu, 2 Desember 2026 pukul 13.00 WITA",
    );
    expect(await scheduleReminders(db, { now })).toMatchObject({ queued: 0 });
    // Moving it to where it already is changes nothing.
    expect(
      await sessionMoved(db, {
        sessionId: session!.id,
        previousStartsAt: wita("2026-12-02 13:00"),
        now,
      }),
    ).toEqual({ result: "unchanged" });
  });

  it("withdraws a cancelled session's reminders and tells the residents holding a seat", async () => {
    const { db } = database();
    const { registrationId, programmeId, who } = await seated(db, "RMD05", [
      wita("2026-12-01 08:00"),
      wita("2026-12-03 08:00"),
    ]);
    await scheduleReminders(db, { now });
    const [first] = await sessionsOf(db, programmeId);
    expect(await sessionCancelled(db, { sessionId: first!.id, now })).toEqual({
      result: "done",
      withdrawn: 2,
      notified: 1,
    });
    const [status] = await db
      .select({ status: programmeSessions.status })
      .from(programmeSessions)
      .where(eq(programmeSessions.id, first!.id));
    expect(status?.status).toBe("cancelled");
    const rows = await remindersOf(db, registrationId);
    expect(rows.map((row) => [row.key?.split(":")[1], row.status])).toEqual([
      [String(first!.id), "cancelled"],
      [String(first!.id), "cancelled"],
      [expect.any(String), "pending"],
      [expect.any(String), "pending"],
    ]);
    const notice = (await outboxOf(db, who.contactId)).find((row) =>
      row.key?.startsWith("session-cancelled:"),
    );
    expect(notice?.text).toEqual({
      text: "Mohon maaf, sesi Kelas RMD05 pada Selasa, 1 Desember 2026 pukul 08.00 WITA di Balai Warga RT 05 dibatalkan. Anda tidak perlu datang, dan pendaftaran Anda tetap berlaku. Ketik JADWAL untuk melihat jadwal berikutnya.",
    });
    expect(await scheduleReminders(db, { now })).toMatchObject({ queued: 0 });
    // Cancelling again tells nobody twice.
    expect(await sessionCancelled(db, { sessionId: first!.id, now })).toEqual({
      result: "done",
      withdrawn: 0,
      notified: 0,
    });
    expect(await sessionCancelled(db, { sessionId: 999_999, now })).toEqual({
      result: "not_found",
    });
  });

  it("withdraws a cancelled registration's reminders, and the sweep catches any it missed", async () => {
    const { db } = database();
    const starts = [wita("2026-12-01 08:00"), wita("2026-12-02 08:00")];
    const one = await seated(db, "RMD06", starts);
    const two = await seated(db, "RMD07", starts);
    await scheduleReminders(db, { now });

    await cancelRegistration(db, {
      contactId: one.who.contactId,
      registrationId: one.registrationId,
      now,
    });
    expect((await remindersOf(db, one.registrationId)).map((row) => row.lastError)).toEqual(
      Array(4).fill("Dibatalkan: pendaftaran dibatalkan"),
    );
    expect(await registrationCancelled(db, { registrationId: one.registrationId, now })).toBe(0);

    // A registration cancelled without cancelRegistration: the next sweep withdraws them.
    await db
      .update(registrations)
      .set({ status: "cancelled" })
      .where(eq(registrations.id, two.registrationId));
    expect(await scheduleReminders(db, { now })).toEqual({ queued: 0, withdrawn: 4 });
    expect((await remindersOf(db, two.registrationId)).map((row) => row.status)).toEqual(
      Array(4).fill("cancelled"),
    );
  });

  it("records HADIR and TIDAK for the next session; TIDAK stops that session's reminders", async () => {
    const { db } = database();
    const { registrationId, programmeId, who } = await seated(db, "RMD08", [
      wita("2026-12-01 08:00"),
      wita("2026-12-02 08:00"),
    ]);
    const [first, second] = await sessionsOf(db, programmeId);
    await scheduleReminders(db, { now });
    const context = contextFor(db, who);

    expect(await rsvp(context, { answer_text: "hadir bu" })).toEqual({
      result: "recorded",
      answer: "hadir",
      session: "Kelas RMD08 pada Selasa, 1 Desember 2026 pukul 08.00 WITA di Balai Warga RT 05",
      registration_id: registrationId,
      programme_title: "Kelas RMD08",
    });
    expect(await rsvp(context, { answer_text: "gak bisa hadir" })).toMatchObject({
      result: "recorded",
      answer: "tidak",
    });
    const rows = await db
      .select({ sessionId: attendance.sessionId, rsvp: attendance.rsvp })
      .from(attendance)
      .where(eq(attendance.registrationId, registrationId));
    expect(rows).toEqual([{ sessionId: first!.id, rsvp: "tidak" }]);
    const reminders = await remindersOf(db, registrationId);
    const statusOf = (sessionId: number) =>
      reminders
        .filter((row) => row.key?.startsWith(`reminder:${sessionId}:`))
        .map((row) => row.status);
    expect(statusOf(first!.id)).toEqual(["cancelled", "cancelled"]);
    expect(statusOf(second!.id)).toEqual(["pending", "pending"]);
    expect(await scheduleReminders(db, { now })).toMatchObject({ queued: 0 });

    // An hour into the first session it still takes answers; after that, the next one.
    const during = contextFor(db, who, wita("2026-12-01 08:45"));
    expect(await rsvp(during, { answer: "hadir" })).toMatchObject({
      session: expect.stringContaining("Selasa, 1 Desember 2026"),
    });
    const later = contextFor(db, who, wita("2026-12-01 09:30"));
    expect(await rsvp(later, { answer: "hadir" })).toMatchObject({
      session: expect.stringContaining("Rabu, 2 Desember 2026"),
    });
  });

  it("answers no_session without a seat, and unclear for a text saying neither", async () => {
    const { db } = database();
    const nobody = await resident(db, "rmd09-nobody");
    const context = contextFor(db, nobody);
    expect(await rsvp(context, { answer_text: "hadir" })).toEqual({
      result: "no_session",
      answer: "hadir",
      session: "",
      registration_id: null,
      programme_title: "",
    });
    expect(await rsvp(context, { answer_text: "kapan ya" })).toMatchObject({
      result: "unclear",
      answer: null,
    });
    // A waitlisted resident has no session yet either.
    const programmeId = await addProgramme(db, {
      code: "RMD09",
      title: "Penuh",
      capacity: 0,
      sessions: [wita("2026-12-01 08:00")],
    });
    await register(db, { contactId: nobody.contactId, programmeId, now });
    expect(await rsvp(context, { answer: "tidak" })).toMatchObject({ result: "no_session" });
  });

  it("runs the kehadiran flow through the pipeline: hadir, tidak and keep, tidak and cancel", async () => {
    const { db } = database();
    const { registrationId, who } = await seated(db, "RMD10", [
      wita("2026-12-01 08:00"),
      wita("2026-12-02 08:00"),
    ]);
    await scheduleReminders(db, { now });
    let clock = now;
    const pipeline = createInboundPipeline({
      db,
      flows: loadFlows(flowsFolder, new Set(Object.keys(registry))),
      actions: registry,
      organisationName: "Dinas Sosial Kota Balikpapan",
      idleTimeoutMs: 30 * 60_000,
      offerTtlMs: 24 * 3_600_000,
      floodLimit: 20,
      concurrentTransactions: 1,
      clock: () => clock,
      log: createLogger("silent"),
      metrics: pipelineMetrics(new Registry()),
    });
    let counter = 0;
    const say = async (text: string, sender = "warga-RMD10") => {
      counter += 1;
      clock = new Date(clock.getTime() + 60_000);
      const turn = await pipeline.receive({
        channel: "simulator",
        externalId: `rmd10-${counter}`,
        senderId: sender,
        receivedAt: clock,
        content: { kind: "text", text },
      });
      return turn.replies.map((reply) => reply.text);
    };
    const session =
      "Kelas RMD10 pada Selasa, 1 Desember 2026 pukul 08.00 WITA di Balai Warga RT 05";

    expect(await say("Hadir bu")).toEqual([
      `✅ Terima kasih, kehadiran Anda di sesi ${session} sudah kami catat. Sampai jumpa!`,
    ]);

    // A typo (or a name like Kadir) starts the flow, which then asks.
    const asked = await say("hadri");
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain("Apakah Anda akan hadir di sesi berikutnya?");
    expect(asked[0]).toContain("1. Hadir");
    expect(asked[0]).toContain("2. Tidak hadir");
    expect(await say("1")).toEqual([
      `✅ Terima kasih, kehadiran Anda di sesi ${session} sudah kami catat. Sampai jumpa!`,
    ]);

    const keep = await say("ga bisa hadir");
    expect(keep[0]).toBe(
      `Baik, kami catat Anda tidak hadir di sesi ${session}. Terima kasih sudah mengabari.`,
    );
    expect(keep[1]).toContain(
      "Apakah Anda ingin membatalkan seluruh pendaftaran Kelas RMD10? Kursi Anda akan diberikan ke warga lain.",
    );
    expect(keep[1]).toMatch(/YA atau TIDAK/i);
    expect(await say("tidak")).toEqual([
      "Baik, pendaftaran Anda tetap. Sampai jumpa di sesi berikutnya.",
    ]);

    await say("tdk hadir");
    expect(await say("iya")).toEqual([
      "Pendaftaran Kelas RMD10 sudah dibatalkan. Terima kasih sudah mengabari. Ketik DAFTAR bila ingin mendaftar program lain.",
    ]);
    const [registration] = await db
      .select({ status: registrations.status })
      .from(registrations)
      .where(eq(registrations.id, registrationId));
    expect(registration?.status).toBe("cancelled");
    await scheduleReminders(db, { now: clock });
    const pending = await db
      .select()
      .from(outboxMessages)
      .where(
        and(
          eq(outboxMessages.contactId, who.contactId),
          like(outboxMessages.dedupeKey, "reminder:%"),
          eq(outboxMessages.status, "pending"),
        ),
      );
    expect(pending).toEqual([]);

    expect(await say("hadir", "rmd10-stranger")).toContain(
      "Terima kasih. Saat ini Anda tidak punya sesi terjadwal. Ketik JADWAL untuk melihat jadwal atau MENU untuk kembali ke menu utama.",
    );
  });
});
