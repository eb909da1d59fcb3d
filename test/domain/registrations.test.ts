import { and, asc, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { outboxMessages, programmes, registrations } from "../../src/db/schema/index.js";
import { seedDemo } from "../../src/db/seed.js";
import { cancelRegistration, register } from "../../src/domain/registrations.js";
import { describeEachDatabase } from "../support/database.js";
import { addProgramme, contextFor, now, programmeIdOf, resident, runAction } from "./fixtures.js";

async function waitlist(db: Db, programmeId: number) {
  return db
    .select({ contactId: registrations.contactId, position: registrations.waitlistPosition })
    .from(registrations)
    .where(and(eq(registrations.programmeId, programmeId), eq(registrations.status, "waitlisted")))
    .orderBy(asc(registrations.waitlistPosition));
}

describeEachDatabase("registrations", (database) => {
  beforeAll(async () => {
    await seedDemo(database().db, now);
  });

  it("seats residents until the programme is full, then waitlists them in order", async () => {
    const { db } = database();
    const programmeId = await addProgramme(db, {
      code: "TST01",
      title: "Kelas Kecil",
      capacity: 2,
    });
    const results = [];
    for (const name of ["r1-a", "r1-b", "r1-c", "r1-d"]) {
      const who = await resident(db, name);
      results.push(await register(db, { contactId: who.contactId, programmeId, now }));
    }
    expect(results.map((r) => [r.result, "position" in r ? r.position : null])).toEqual([
      ["registered", null],
      ["registered", null],
      ["waitlisted", 1],
      ["waitlisted", 2],
    ]);
  });

  it("answers already_registered on a second registration, with the waitlist position", async () => {
    const { db } = database();
    const programmeId = await addProgramme(db, { code: "TST02", title: "Kelas Satu", capacity: 1 });
    const first = await resident(db, "r2-a");
    const second = await resident(db, "r2-b");
    await register(db, { contactId: first.contactId, programmeId, now });
    await register(db, { contactId: second.contactId, programmeId, now });
    expect(await register(db, { contactId: first.contactId, programmeId, now })).toMatchObject({
      result: "already_registered",
      position: null,
    });
    expect(await register(db, { contactId: second.contactId, programmeId, now })).toMatchObject({
      result: "already_registered",
      position: 1,
    });
  });

  it("gives the last seats to exactly as many of the residents racing for them", async () => {
    const { db } = database();
    const programmeId = await addProgramme(db, {
      code: "TST03",
      title: "Kursi Terakhir",
      capacity: 3,
    });
    const first = await resident(db, "r3-first");
    await register(db, { contactId: first.contactId, programmeId, now });
    const racers = [];
    for (let n = 0; n < 8; n++) racers.push(await resident(db, `r3-${n}`));
    const results = await Promise.all(
      racers.map((who) =>
        db.transaction((tx) => register(tx, { contactId: who.contactId, programmeId, now })),
      ),
    );
    expect(results.map((r) => r.result).sort()).toEqual([
      ...Array(2).fill("registered"),
      ...Array(6).fill("waitlisted"),
    ]);
    const line = results.flatMap((r) => (r.result === "waitlisted" ? [r.position] : []));
    expect(line.sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const seated = await db
      .select()
      .from(registrations)
      .where(
        and(eq(registrations.programmeId, programmeId), eq(registrations.status, "registered")),
      );
    expect(seated).toHaveLength(3);
    const [programme] = await db
      .select({ seatsTaken: programmes.seatsTaken })
      .from(programmes)
      .where(eq(programmes.id, programmeId));
    expect(programme?.seatsTaken).toBe(3);
  });

  it("cancelling a seat offers it to the first waitlisted resident, renumbers and notifies", async () => {
    const { db } = database();
    const programmeId = await addProgramme(db, {
      code: "TST04",
      title: "Kelas Batik",
      capacity: 1,
      sessions: [new Date("2026-12-01T01:00:00Z")],
    });
    const [seated, next, after] = await Promise.all(
      ["r4-a", "r4-b", "r4-c"].map((name) => resident(db, name)),
    );
    const seat = await register(db, { contactId: seated!.contactId, programmeId, now });
    await register(db, { contactId: next!.contactId, programmeId, now });
    await register(db, { contactId: after!.contactId, programmeId, now });
    if (seat.result !== "registered") throw new Error("expected a seat");

    expect(
      await cancelRegistration(db, {
        contactId: seated!.contactId,
        registrationId: seat.registrationId,
        now,
      }),
    ).toEqual({ result: "cancelled", title: "Kelas Batik" });
    const [offered] = await db
      .select({
        status: registrations.status,
        position: registrations.waitlistPosition,
        expiresAt: registrations.offerExpiresAt,
      })
      .from(registrations)
      .where(
        and(
          eq(registrations.programmeId, programmeId),
          eq(registrations.contactId, next!.contactId),
        ),
      );
    // Not a seat yet: an offer to accept within 24 hours (offers.test.ts has the rest).
    expect(offered).toEqual({
      status: "offered",
      position: null,
      expiresAt: new Date(now.getTime() + 24 * 3_600_000),
    });
    expect(await waitlist(db, programmeId)).toEqual([{ contactId: after!.contactId, position: 1 }]);

    const [notice] = await db
      .select({ payload: outboxMessages.payload, priority: outboxMessages.priority })
      .from(outboxMessages)
      .where(eq(outboxMessages.contactId, next!.contactId));
    expect(notice?.priority).toBe(1);
    expect(notice?.payload.text).toContain("Kelas Batik");
    expect(notice?.payload.text).toContain("Selasa, 1 Desember 2026 pukul 09.00 WITA");
    expect(notice?.payload.text).toContain("sebelum Minggu, 29 November 2026 pukul 10.00 WITA");
  });

  it("leaving the waitlist moves the residents behind one place up", async () => {
    const { db } = database();
    const programmeId = await addProgramme(db, {
      code: "TST05",
      title: "Kelas Sablon",
      capacity: 1,
    });
    const people = await Promise.all(["r5-a", "r5-b", "r5-c", "r5-d"].map((n) => resident(db, n)));
    const results = [];
    for (const who of people)
      results.push(await register(db, { contactId: who.contactId, programmeId, now }));
    const second = results[1];
    if (second?.result !== "waitlisted") throw new Error("expected a waitlist place");
    await cancelRegistration(db, {
      contactId: people[1]!.contactId,
      registrationId: second.registrationId,
      now,
    });
    expect(await waitlist(db, programmeId)).toEqual([
      { contactId: people[2]!.contactId, position: 1 },
      { contactId: people[3]!.contactId, position: 2 },
    ]);
    // Nobody was offered a seat: the one seat is still taken.
    expect(
      await db
        .select()
        .from(outboxMessages)
        .where(eq(outboxMessages.contactId, people[2]!.contactId)),
    ).toEqual([]);
  });

  it("does not cancel another resident's registration", async () => {
    const { db } = database();
    const programmeId = await addProgramme(db, {
      code: "TST06",
      title: "Kelas Rajut",
      capacity: 3,
    });
    const owner = await resident(db, "r6-a");
    const other = await resident(db, "r6-b");
    const seat = await register(db, { contactId: owner.contactId, programmeId, now });
    if (seat.result !== "registered") throw new Error("expected a seat");
    expect(
      await runAction("registrations.cancel", contextFor(db, other), {
        registration_id: String(seat.registrationId),
      }),
    ).toEqual({ result: "not_found", title: "" });
  });

  it("registrations.create, .mine and .cancel speak to the resident in Indonesian", async () => {
    const { db } = database();
    const who = await resident(db, "r7-a");
    const context = contextFor(db, who);
    expect(await runAction("registrations.mine", context)).toEqual({
      count: 0,
      options: [],
      text: "Anda belum terdaftar di program apa pun.",
    });
    const mjh01 = await programmeIdOf(db, "MJH01");
    expect(
      await runAction("registrations.create", context, { programme_id: String(mjh01) }),
    ).toEqual({
      result: "registered",
      position: null,
      title: "Menjahit Dasar untuk Ibu Rumah Tangga",
      first_session: "Senin, 30 November 2026 pukul 08.00 WITA",
    });
    expect((await runAction("registrations.create", context, { programme_id: mjh01 })).result).toBe(
      "already_registered",
    );
    const brs01 = await programmeIdOf(db, "BRS01");
    await runAction("registrations.create", context, { programme_id: brs01 });

    const mine = await runAction("registrations.mine", context);
    expect(mine.count).toBe(2);
    const options = mine.options as { id: string; label: string }[];
    expect(options.map((o) => o.label).sort()).toEqual([
      "Barista Pemula — Terdaftar",
      "Menjahit Dasar untuk Ibu Rumah Tangga — Terdaftar",
    ]);
    const barista = options.find((o) => o.label.startsWith("Barista"))!;
    expect(
      await runAction("registrations.cancel", context, { registration_id: barista.id }),
    ).toEqual({ result: "cancelled", title: "Barista Pemula" });
    const after = await runAction("registrations.mine", context);
    expect(after.count).toBe(1);
    expect(after.text).toBe(
      [
        "Pendaftaran Anda:",
        "- Menjahit Dasar untuk Ibu Rumah Tangga — Terdaftar",
        "- Barista Pemula — Dibatalkan",
      ].join("\n"),
    );
  });

  it("answers closed for a programme that does not take registrations", async () => {
    const { db } = database();
    const who = await resident(db, "r8-a");
    expect(
      await runAction("registrations.create", contextFor(db, who), { programme_id: 99999 }),
    ).toEqual({
      result: "closed",
      position: null,
      title: "",
      first_session: null,
    });
  });
});
