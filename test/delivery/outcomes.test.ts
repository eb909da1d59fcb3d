import { eq } from "drizzle-orm";
import { Registry } from "prom-client";
import { beforeEach, expect, it } from "vitest";
import { channelIdentities, outboxMessages } from "../../src/db/schema/index.js";
import { now } from "../domain/fixtures.js";
import { describeEachDatabase } from "../support/database.js";
import {
  clearOutbox,
  enqueue,
  fakeChannel,
  residentOn,
  rowOf,
  virtualTime,
  workerFor,
} from "./support.js";

describeEachDatabase("delivery outcomes", (database) => {
  beforeEach(async () => clearOutbox(database().db));

  it("retries after the channel's retry time (not earlier), then records the send", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({
      channel: "simulator",
      clock: time.clock,
      script: (_address, _message, attempt) =>
        attempt === 1
          ? { kind: "retry", afterMs: 30_000, reason: "429: Too Many Requests" }
          : { kind: "sent", platformMessageId: "ok-2" },
    });
    const { contactId } = await residentOn(db, "simulator", "retry-1", now);
    const id = await enqueue(db, contactId, "coba lagi", now);
    const worker = workerFor(db, time, [fake]);
    expect(await worker.drain()).toBe(0);
    const waiting = await rowOf(db, id);
    expect(waiting).toMatchObject({ status: "pending", attempts: 1, leasedBy: null });
    expect(waiting.notBefore.getTime()).toBe(now.getTime() + 30_000);
    expect(waiting.lastError).toBe(
      "Percobaan ke-1 gagal, akan dicoba lagi: 429: Too Many Requests",
    );
    time.advance(29_999);
    expect(await worker.drain()).toBe(0);
    expect(fake.sends).toHaveLength(1);
    time.advance(1);
    expect(await worker.drain()).toBe(1);
    expect(await rowOf(db, id)).toMatchObject({
      status: "sent",
      attempts: 2,
      platformMessageId: "ok-2",
      lastError: null,
      sentAt: time.clock(),
    });
  });

  it("backs off exponentially and gives up after maxAttempts with a reason staff understand", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({
      channel: "simulator",
      clock: time.clock,
      script: () => ({ kind: "retry", afterMs: 0, reason: "502 Bad Gateway" }),
    });
    const { contactId } = await residentOn(db, "simulator", "retry-2", now);
    const id = await enqueue(db, contactId, "selalu gagal", now);
    const worker = workerFor(db, time, [fake], { maxAttempts: 4 });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      await worker.drain();
      const row = await rowOf(db, id);
      if (row.status === "pending") delays.push(row.notBefore.getTime() - time.now());
      time.set(row.notBefore);
    }
    // 5 s, 10 s, 20 s with "equal jitter": between half and all of each.
    expect(delays).toHaveLength(3);
    delays.forEach((delay, i) => {
      const full = 5_000 * 2 ** i;
      expect(delay).toBeGreaterThanOrEqual(full / 2);
      expect(delay).toBeLessThanOrEqual(full);
    });
    expect(await rowOf(db, id)).toMatchObject({
      status: "failed",
      attempts: 4,
      lastError: "Gagal terkirim setelah 4 kali mencoba (terakhir: 502 Bad Gateway)",
    });
    expect(fake.sends).toHaveLength(4);
  });

  it("marks a blocked resident unreachable, cancels the announcements waiting for them, and still sends replies", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({
      channel: "simulator",
      clock: time.clock,
      script: (_address, message) =>
        message.text.startsWith("pengingat")
          ? { kind: "unreachable", reason: "Forbidden: bot was blocked by the user" }
          : { kind: "sent", platformMessageId: "ok" },
    });
    const who = await residentOn(db, "simulator", "blocked-1", now);
    const reminder = await enqueue(db, who.contactId, "pengingat sesi", now, "notice");
    const later = new Date(now.getTime() + 3_600_000);
    const broadcast = await enqueue(db, who.contactId, "siaran", now, "broadcast", later);
    const reply = await enqueue(db, who.contactId, "balasan", now);
    const other = await residentOn(db, "simulator", "blocked-2", now);
    const otherBroadcast = await enqueue(
      db,
      other.contactId,
      "siaran lain",
      now,
      "broadcast",
      later,
    );

    const worker = workerFor(db, time, [fake]);
    expect(await worker.drain()).toBe(2);
    expect(await rowOf(db, reminder)).toMatchObject({
      status: "unreachable",
      lastError:
        "Warga memblokir bot atau nomor tidak aktif (Forbidden: bot was blocked by the user)",
    });
    expect(await rowOf(db, broadcast)).toMatchObject({
      status: "cancelled",
      lastError: "Dibatalkan: warga tidak bisa dihubungi lewat Simulator",
    });
    expect((await rowOf(db, reply)).status).toBe("sent");
    expect((await rowOf(db, otherBroadcast)).status).toBe("pending");
    const [identity] = await db
      .select({ unreachableAt: channelIdentities.unreachableAt })
      .from(channelIdentities)
      .where(eq(channelIdentities.id, who.identityId));
    expect(identity?.unreachableAt).toEqual(now);
  });

  it("fails a message the channel refuses, and one whose stored payload is broken", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({
      channel: "simulator",
      clock: time.clock,
      script: () => ({ kind: "invalid", reason: "Bad Request: message is too long" }),
    });
    const { contactId } = await residentOn(db, "simulator", "invalid-1", now);
    const id = await enqueue(db, contactId, "terlalu panjang", now);
    const broken = await enqueue(db, contactId, "rusak", now);
    await db
      .update(outboxMessages)
      .set({ payload: { choices: "x" } })
      .where(eq(outboxMessages.id, broken));
    expect(await workerFor(db, time, [fake]).drain()).toBe(2);
    expect(await rowOf(db, id)).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "Ditolak oleh Simulator: Bad Request: message is too long",
    });
    expect(await rowOf(db, broken)).toMatchObject({ status: "failed" });
    expect((await rowOf(db, broken)).lastError).toMatch(/^Isi pesan tidak valid: text: /);
    expect(fake.sends).toHaveLength(1);
  });

  it("retries when the adapter throws, and counts it on /metrics", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({
      channel: "simulator",
      clock: time.clock,
      script: (_address, _message, attempt) =>
        attempt === 1 ? "throw" : { kind: "sent", platformMessageId: "ok" },
    });
    const { contactId } = await residentOn(db, "simulator", "throws-1", now);
    const id = await enqueue(db, contactId, "meledak", now);
    const registry = new Registry();
    const worker = workerFor(db, time, [fake], { registry });
    expect(await worker.drain()).toBe(0);
    const row = await rowOf(db, id);
    expect(row).toMatchObject({
      status: "pending",
      lastError:
        "Percobaan ke-1 gagal, akan dicoba lagi: Terjadi kesalahan tak terduga pada saluran pengiriman",
    });
    time.set(row.notBefore);
    expect(await worker.drain()).toBe(1);
    const text = await registry.metrics();
    expect(text).toContain('berdaya_sends_total{channel="simulator",outcome="error"} 1');
    expect(text).toContain('berdaya_sends_total{channel="simulator",outcome="sent"} 1');
  });

  it("gives up a message that keeps bringing its worker down, without sending it again", async () => {
    const { db } = database();
    const time = virtualTime(now);
    const fake = fakeChannel({ channel: "simulator", clock: time.clock });
    const { contactId } = await residentOn(db, "simulator", "poison-1", now);
    const id = await enqueue(db, contactId, "racun", now);
    await db
      .update(outboxMessages)
      .set({ status: "sending", leasedBy: "crashed", attempts: 3, leaseUntil: now })
      .where(eq(outboxMessages.id, id));
    expect(await workerFor(db, time, [fake], { maxAttempts: 3 }).drain()).toBe(1);
    expect(fake.sends).toEqual([]);
    expect(await rowOf(db, id)).toMatchObject({
      status: "failed",
      lastError:
        "Gagal terkirim setelah 3 kali mencoba (terakhir: pengirim berhenti di tengah pengiriman)",
    });
  });
});
