import { eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { outboxMessages } from "../../src/db/schema/index.js";
import { defaultQuietHours } from "../../src/delivery/quiet-hours.js";
import { now } from "../domain/fixtures.js";
import { describeEachDatabase } from "../support/database.js";
import {
  clearOutbox,
  enqueue,
  fakeChannel,
  residentOn,
  seedOutbox,
  virtualTime,
  workerFor,
} from "./support.js";

const wita = (time: string, date = "2026-11-28") => new Date(`${date}T${time}:00+08:00`);

describeEachDatabase("delivery limits", (database) => {
  beforeEach(async () => clearOutbox(database().db));

  it("paces a Telegram-like channel: no limit broken, and the rate within 10 % of the limit", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({
      channel: "telegram",
      clock: time.clock,
      limits: { perSecond: 30, perChatGapMs: 1000 },
    });
    const rows = await seedOutbox(db, {
      prefix: "tg-pace",
      contacts: 60,
      perContact: 5,
      channel: "telegram",
      at: now,
    });
    expect(await workerFor(db, time, [fake]).drain()).toBe(rows);
    expect(fake.violations).toEqual([]);
    const first = fake.sends[0]?.at ?? 0;
    const last = fake.sends.at(-1)?.at ?? 0;
    const rate = ((fake.sends.length - 1) * 1000) / (last - first);
    expect(rate).toBeGreaterThan(27);
    expect(rate).toBeLessThanOrEqual(30);
  });

  it("keeps a WhatsApp-like minimum gap with random jitter between any two sends", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const limits = { perSecond: 1, minGapMs: 3000, jitterMs: 2000, perChatGapMs: 0 };
    const fake = fakeChannel({ channel: "whatsapp", clock: time.clock, limits });
    await seedOutbox(db, {
      prefix: "wa-pace",
      contacts: 8,
      perContact: 2,
      channel: "whatsapp",
      at: now,
    });
    expect(await workerFor(db, time, [fake]).drain()).toBe(16);
    expect(fake.violations).toEqual([]);
    const gaps = fake.sends.slice(1).map((send, i) => send.at - (fake.sends[i]?.at ?? 0));
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(3000);
      expect(gap).toBeLessThan(5000);
    }
    expect(new Set(gaps.map(Math.round)).size).toBeGreaterThan(5);
  });

  it("stops announcements at the daily cap until the next WITA morning, and lets replies through", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({ channel: "whatsapp", clock: time.clock, limits: { dailyCap: 5 } });
    for (let i = 0; i < 8; i++) {
      const who = await residentOn(db, "whatsapp", `62811000${i}@c.us`, now);
      await enqueue(db, who.contactId, `siaran ${i}`, now, "broadcast");
    }
    for (let i = 0; i < 3; i++) {
      const who = await residentOn(db, "whatsapp", `62812000${i}@c.us`, now);
      await enqueue(db, who.contactId, `balasan ${i}`, now);
    }
    const options = { quietHours: defaultQuietHours };
    expect(await workerFor(db, time, [fake], options).drain()).toBe(8);
    const kinds = fake.sends.map((send) => send.text.split(" ")[0]);
    expect(kinds.filter((kind) => kind === "balasan")).toHaveLength(3);
    expect(kinds.filter((kind) => kind === "siaran")).toHaveLength(5);
    const held = await db
      .select({ notBefore: outboxMessages.notBefore, attempts: outboxMessages.attempts })
      .from(outboxMessages)
      .where(eq(outboxMessages.status, "pending"));
    expect(held).toEqual(Array(3).fill({ notBefore: wita("06:00", "2026-11-29"), attempts: 0 }));

    // A new worker the same day (a restart) counts what was sent today from the database.
    const late = await residentOn(db, "whatsapp", "628130000@c.us", now);
    await enqueue(db, late.contactId, "siaran susulan", now, "broadcast");
    await enqueue(db, late.contactId, "balasan susulan", now);
    time.advance(3_600_000);
    expect(await workerFor(db, time, [fake], options).drain()).toBe(1);
    expect(fake.sends.at(-1)?.text).toBe("balasan susulan");

    time.set(wita("06:00", "2026-11-29"));
    expect(await workerFor(db, time, [fake], options).drain()).toBe(4);
    expect(fake.sends).toHaveLength(13);
  });

  it("holds a broadcast due at 22.00 WITA until 06.00, while replies go at once", async () => {
    const { db } = database();
    const evening = wita("22:00");
    const time = virtualTime(evening);
    const fake = fakeChannel({ channel: "telegram", clock: time.clock });
    const siti = await residentOn(db, "telegram", "quiet-1", evening);
    const broadcast = await enqueue(db, siti.contactId, "siaran malam", evening, "broadcast");
    await enqueue(db, siti.contactId, "balasan untuk siti", evening);
    const budi = await residentOn(db, "telegram", "quiet-2", evening);
    await enqueue(db, budi.contactId, "balasan untuk budi", evening);

    const worker = workerFor(db, time, [fake], { quietHours: defaultQuietHours });
    expect(await worker.drain()).toBe(2);
    expect(fake.sends.map((send) => send.text).sort()).toEqual([
      "balasan untuk budi",
      "balasan untuk siti",
    ]);
    const [row] = await db.select().from(outboxMessages).where(eq(outboxMessages.id, broadcast));
    expect(row).toMatchObject({ status: "pending", notBefore: wita("06:00", "2026-11-29") });

    time.set(wita("05:59", "2026-11-29"));
    expect(await worker.drain()).toBe(0);
    time.set(wita("06:00", "2026-11-29"));
    expect(await worker.drain()).toBe(1);
    expect(fake.sends.at(-1)?.text).toBe("siaran malam");
  });
});
