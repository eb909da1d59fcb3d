import { eq, inArray } from "drizzle-orm";
import { Registry } from "prom-client";
import { beforeEach, expect, it } from "vitest";
import type { ChannelState } from "../../src/channels/adapter.js";
import { outboxMessages } from "../../src/db/schema/index.js";
import { now } from "../domain/fixtures.js";
import { describeEachDatabase } from "../support/database.js";
import {
  clearOutbox,
  enqueue,
  fakeChannel,
  residentOn,
  rowOf,
  seedOutbox,
  virtualTime,
  workerFor,
} from "./support.js";

describeEachDatabase("delivery worker", (database) => {
  beforeEach(async () => clearOutbox(database().db));

  it("sends each contact's rows once, in sequence order, one at a time, many contacts at once", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({ channel: "simulator", clock: time.clock });
    const rows = await seedOutbox(db, {
      prefix: "order",
      contacts: 40,
      perContact: 5,
      channel: "simulator",
      at: now,
    });
    const worker = workerFor(db, time, [fake], { batchSize: 8 });
    expect(await worker.drain()).toBe(rows);
    expect(fake.violations).toEqual([]);
    const sent = fake.sends.map(
      (send) => send.text.split(",").map(Number) as [number, number, number],
    );
    expect(new Set(sent.map(([id]) => id)).size).toBe(rows);
    const sequences = new Map<number, number[]>();
    for (const [, contactId, sequence] of sent) {
      sequences.set(contactId, [...(sequences.get(contactId) ?? []), sequence]);
    }
    expect(sequences.size).toBe(40);
    for (const list of sequences.values()) expect(list).toEqual([1, 2, 3, 4, 5]);
    const statuses = await db
      .selectDistinct({ status: outboxMessages.status })
      .from(outboxMessages)
      .where(inArray(outboxMessages.id, [...sent.map(([id]) => id)]));
    expect(statuses).toEqual([{ status: "sent" }]);
    expect(await worker.drain()).toBe(0);
  });

  it("sends due replies before due broadcasts", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({ channel: "simulator", clock: time.clock });
    for (let c = 0; c < 4; c++) {
      const broadcastTo = await residentOn(db, "simulator", `prio-b${c}`, now);
      await enqueue(db, broadcastTo.contactId, `siaran ${c}`, now, "broadcast");
      const replyTo = await residentOn(db, "simulator", `prio-r${c}`, now);
      await enqueue(db, replyTo.contactId, `balasan ${c}`, new Date(now.getTime() + 1000));
    }
    time.advance(2000);
    await workerFor(db, time, [fake], { batchSize: 1 }).drain();
    expect(fake.sends.map((s) => s.text.split(" ")[0])).toEqual([
      ...Array(4).fill("balasan"),
      ...Array(4).fill("siaran"),
    ]);
  });

  it("takes over a crashed worker's row when its lease has run out, not before", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({ channel: "simulator", clock: time.clock });
    const crashed = await residentOn(db, "simulator", "lease-1", now);
    const expired = await enqueue(db, crashed.contactId, "lease habis", now);
    const busy = await residentOn(db, "simulator", "lease-2", now);
    const live = await enqueue(db, busy.contactId, "lease hidup", now);
    const behindLive = await enqueue(db, busy.contactId, "menunggu", now);
    await db
      .update(outboxMessages)
      .set({ status: "sending", leasedBy: "crashed", attempts: 1, leaseUntil: now })
      .where(eq(outboxMessages.id, expired));
    await db
      .update(outboxMessages)
      .set({
        status: "sending",
        leasedBy: "alive",
        attempts: 1,
        leaseUntil: new Date(now.getTime() + 30_000),
      })
      .where(eq(outboxMessages.id, live));

    const worker = workerFor(db, time, [fake]);
    expect(await worker.drain()).toBe(1);
    expect(fake.sends.map((s) => s.text)).toEqual(["lease habis"]);
    expect(await rowOf(db, expired)).toMatchObject({ status: "sent", attempts: 2, leasedBy: null });
    expect(await rowOf(db, live)).toMatchObject({ status: "sending", leasedBy: "alive" });
    expect((await rowOf(db, behindLive)).status).toBe("pending");

    // The live worker finishes late: its outcome still counts, and the next row follows.
    time.advance(30_000);
    expect(await worker.drain()).toBe(2);
    expect(fake.sends.map((s) => s.text)).toEqual(["lease habis", "lease hidup", "menunggu"]);
  });

  it("does not let a reply overtake an earlier reply that is waiting to be retried", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({
      channel: "simulator",
      clock: time.clock,
      script: (_address, message, attempt) =>
        message.text === "pertama" && attempt === 1
          ? { kind: "retry", afterMs: 10_000, reason: "timeout" }
          : { kind: "sent", platformMessageId: "ok" },
    });
    const { contactId } = await residentOn(db, "simulator", "hold-1", now);
    await enqueue(db, contactId, "pertama", now);
    await enqueue(db, contactId, "kedua", now);
    const worker = workerFor(db, time, [fake]);
    await worker.drain();
    expect(fake.sends.map((s) => s.text)).toEqual(["pertama"]);
    time.advance(10_000);
    await worker.drain();
    expect(fake.sends.map((s) => s.text)).toEqual(["pertama", "pertama", "kedua"]);
  });

  it("does not hold a reply behind a reminder scheduled for later", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({ channel: "simulator", clock: time.clock });
    const { contactId } = await residentOn(db, "simulator", "hold-2", now);
    const tomorrow = new Date(now.getTime() + 86_400_000);
    const reminder = await enqueue(db, contactId, "pengingat besok", now, "notice", tomorrow);
    await enqueue(db, contactId, "balasan sekarang", now);
    expect(await workerFor(db, time, [fake]).drain()).toBe(1);
    expect(fake.sends.map((s) => s.text)).toEqual(["balasan sekarang"]);
    expect((await rowOf(db, reminder)).status).toBe("pending");
  });

  it("claims nothing on a channel that is not ready, so its rows keep their attempts", async () => {
    const { db } = database();
    const time = virtualTime(now);
    let state: ChannelState = {
      state: "disconnected",
      reason: "sesi WhatsApp dipegang proses lain",
    };
    const fake = fakeChannel({ channel: "whatsapp", clock: time.clock, status: () => state });
    const who = await residentOn(db, "whatsapp", "6281200000077@c.us", now);
    const id = await enqueue(db, who.contactId, "tunggu sesi", now);
    const worker = workerFor(db, time, [fake]);
    expect(await worker.drain()).toBe(0);
    expect(await rowOf(db, id)).toMatchObject({ status: "pending", attempts: 0 });
    state = { state: "ready" };
    expect(await worker.drain()).toBe(1);
  });

  it("leaves rows of channels it has no adapter for", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({ channel: "simulator", clock: time.clock });
    const onWhatsapp = await residentOn(db, "whatsapp", "6281200000099@c.us", now);
    const id = await enqueue(db, onWhatsapp.contactId, "lewat whatsapp", now);
    expect(await workerFor(db, time, [fake]).drain()).toBe(0);
    expect((await rowOf(db, id)).status).toBe("pending");
  });

  it("reports the due outbox per channel and priority, and the age of the oldest due row", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const registry = new Registry();
    workerFor(db, time, [], { registry });
    const a = await residentOn(db, "telegram", "metrics-1", now);
    await enqueue(db, a.contactId, "satu", new Date(now.getTime() - 90_000));
    await enqueue(db, a.contactId, "dua", now);
    await enqueue(db, a.contactId, "tiga", now, "broadcast");
    await enqueue(db, a.contactId, "nanti", now, "broadcast", new Date(now.getTime() + 60_000));
    const text = await registry.metrics();
    expect(text).toContain('berdaya_outbox_depth{channel="telegram",priority="0"} 2');
    expect(text).toContain('berdaya_outbox_depth{channel="telegram",priority="2"} 1');
    expect(text).toContain("berdaya_outbox_oldest_due_seconds 90");
  });

  it("sends at once when woken, and stops cleanly", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({ channel: "simulator", clock: time.clock });
    const worker = workerFor(db, time, [fake], { idleMs: 3_600_000 });
    const sent = fake.nextSend();
    worker.start();
    const { contactId } = await residentOn(db, "simulator", "wake-1", now);
    const id = await enqueue(db, contactId, "segera", now);
    worker.wake();
    expect((await sent).text).toBe("segera");
    await worker.stop();
    expect((await rowOf(db, id)).status).toBe("sent");
    const rows = await db
      .select({ status: outboxMessages.status })
      .from(outboxMessages)
      .where(inArray(outboxMessages.status, ["sending"]));
    expect(rows).toEqual([]);
  });
});
