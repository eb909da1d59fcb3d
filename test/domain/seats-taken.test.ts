import { and, count, eq, inArray } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { programmes, registrations } from "../../src/db/schema/index.js";
import { seedDemo } from "../../src/db/seed.js";
import { eraseContact } from "../../src/domain/erasure.js";
import { mergeContact } from "../../src/domain/merge.js";
import { answerOffer, expireOffers } from "../../src/domain/offers.js";
import { seatHoldingStatuses } from "../../src/domain/programmes.js";
import { activeStatuses, cancelRegistration, register } from "../../src/domain/registrations.js";
import { describeEachDatabase } from "../support/database.js";
import { addProgramme, now, type Resident, resident } from "./fixtures.js";

/** A small deterministic generator (mulberry32), so a failing mix can be replayed. */
function random(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

/** Each programme's counter next to the registrations holding one of its seats. */
async function counters(db: Db, ids: number[]) {
  const held = await db
    .select({ id: registrations.programmeId, n: count() })
    .from(registrations)
    .where(
      and(
        inArray(registrations.programmeId, ids),
        inArray(registrations.status, seatHoldingStatuses),
      ),
    )
    .groupBy(registrations.programmeId);
  const rows = await db
    .select({ id: programmes.id, counter: programmes.seatsTaken })
    .from(programmes)
    .where(inArray(programmes.id, ids));
  return rows.map((row) => ({
    ...row,
    counted: held.find((h) => h.id === row.id)?.n ?? 0,
  }));
}

describeEachDatabase("programmes.seats_taken", (database) => {
  beforeAll(async () => {
    await seedDemo(database().db, now);
  });

  it("equals the seats really held after a random mix of registrations, cancellations, offers, erasures and merges", async () => {
    const { db } = database();
    const ids = [
      await addProgramme(db, { code: "CNT01", title: "Hitung Satu", capacity: 2 }),
      await addProgramme(db, { code: "CNT02", title: "Hitung Dua", capacity: 3 }),
    ];
    const people: Resident[] = [];
    for (let n = 0; n < 10; n++) people.push(await resident(db, `cnt-${n}`));
    const pick = random(7);
    let at = now;
    const kinds = new Map<string, number>();
    for (let step = 0; step < 120; step++) {
      at = new Date(at.getTime() + 3_600_000);
      const who = people[pick(people.length)];
      const programmeId = ids[pick(ids.length)];
      if (!who || programmeId === undefined) throw new Error("empty pick");
      const [active] = await db
        .select({ id: registrations.id, status: registrations.status })
        .from(registrations)
        .where(
          and(
            eq(registrations.contactId, who.contactId),
            eq(registrations.programmeId, programmeId),
            inArray(registrations.status, activeStatuses),
          ),
        );
      const roll = pick(20);
      let kind: string;
      if (active?.status === "offered" && roll < 12) {
        kind = roll < 6 ? "accept" : "decline";
        await answerOffer(db, {
          contactId: who.contactId,
          registrationId: active.id,
          answer: roll < 6 ? "accept" : "decline",
          now: at,
        });
      } else if (roll < 9) {
        kind = "register";
        await register(db, { contactId: who.contactId, programmeId, now: at });
      } else if (roll < 15 && active) {
        kind = "cancel";
        await cancelRegistration(db, {
          contactId: who.contactId,
          registrationId: active.id,
          now: at,
        });
      } else if (roll < 17) {
        kind = "expire";
        await expireOffers(db, { now: new Date(at.getTime() + 2 * 86_400_000) });
      } else if (roll < 18) {
        kind = "erase";
        await eraseContact(db, { contactId: who.contactId, now: at });
        people.splice(people.indexOf(who), 1, await resident(db, `cnt-${step}-new`, at));
      } else {
        const into = people.find((other) => other !== who);
        if (!into) throw new Error("one resident left");
        kind = "merge";
        await db.transaction((tx) =>
          mergeContact(tx, { from: who.contactId, into: into.contactId, now: at }),
        );
        people.splice(people.indexOf(who), 1, await resident(db, `cnt-${step}-new`, at));
      }
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      for (const row of await counters(db, ids))
        expect(row.counter, `${kind} at step ${step}`).toBe(row.counted);
    }
    // The mix reached every kind of change (answers to offers: the programmes filled up).
    expect([...kinds.keys()].sort()).toEqual(
      ["accept", "cancel", "decline", "erase", "expire", "merge", "register"].sort(),
    );
  });
});
