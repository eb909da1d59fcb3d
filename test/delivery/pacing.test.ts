import { describe, expect, it } from "vitest";
import type { ChannelLimits } from "../../src/channels/adapter.js";
import { arrivalSkewMs, createChannelPacer } from "../../src/delivery/pacing.js";
import { now } from "../domain/fixtures.js";
import { noLimits, seededRandom, virtualTime } from "./support.js";

function pacerWith(limits: Partial<ChannelLimits>) {
  const time = virtualTime(now);
  const pacer = createChannelPacer(
    { ...noLimits, ...limits },
    { clock: time.clock, sleep: time.sleep, random: seededRandom() },
  );
  const starts: { address: string; at: number }[] = [];
  const send = (address: string, priority = 0) =>
    pacer.pace(address, priority, async () => {
      starts.push({ address, at: time.now() });
      return address;
    });
  return { time, pacer, starts, send };
}

const gaps = (times: number[]) => times.slice(1).map((at, i) => at - (times[i] ?? 0));

describe("channel pacing (virtual time)", () => {
  it("spaces sends evenly at the channel's rate, also when they are asked for all at once", async () => {
    const { starts, send } = pacerWith({ perSecond: 30 });
    await Promise.all(Array.from({ length: 91 }, (_, i) => send(`chat-${i}`)));
    const times = starts.map((s) => s.at - now.getTime());
    expect(times[0]).toBe(0);
    // 90 intervals of 35 ms (1,050 ms / 30: room for a send that arrives late, see below).
    expect(times.at(-1)).toBe(3150);
    for (const gap of gaps(times)) expect(gap).toBe(35);
    // No 1-second window holds more than 30.
    times.forEach((at, i) => {
      expect(times.filter((other) => other > at - 1000 && other <= at).length).toBeLessThanOrEqual(
        30,
      );
      expect(i < 30 || at - (times[i - 30] ?? 0) >= 1000).toBe(true);
    });
  });

  it("keeps the gap per chat while other chats go in between", async () => {
    const { starts, send } = pacerWith({ perSecond: 100, perChatGapMs: 1000 });
    await Promise.all([send("a"), send("a"), send("b"), send("a")]);
    expect(starts.map((s) => [s.address, s.at - now.getTime()])).toEqual([
      ["a", 0],
      ["a", 1050],
      ["b", 1061],
      ["a", 2100],
    ]);
  });

  it("leaves room for sends that reach the platform up to 50 ms late: no limit broken there", async () => {
    const { starts, send } = pacerWith({ perSecond: 30, perChatGapMs: 1000 });
    const late = seededRandom();
    await Promise.all(Array.from({ length: 300 }, (_, i) => send(`chat-${i % 20}`, i % 2)));
    const arrivals = starts
      .map((s) => ({ address: s.address, at: s.at + late() * arrivalSkewMs }))
      .sort((a, b) => a.at - b.at);
    arrivals.forEach(({ address, at }, i) => {
      const earlier = arrivals.slice(0, i);
      expect(earlier.filter((other) => other.at > at - 1000).length).toBeLessThan(30);
      const lastHere = earlier.filter((other) => other.address === address).at(-1);
      if (lastHere) expect(at - lastHere.at).toBeGreaterThanOrEqual(1000);
    });
  });

  it("waits a minimum gap plus random jitter between any two sends", async () => {
    const { starts, send } = pacerWith({ perSecond: 10, minGapMs: 2000, jitterMs: 1500 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => send(`chat-${i}`)));
    const spacing = gaps(starts.map((s) => s.at));
    for (const gap of spacing) {
      expect(gap).toBeGreaterThanOrEqual(2000);
      expect(gap).toBeLessThan(3500);
    }
    expect(new Set(spacing.map(Math.round)).size).toBeGreaterThan(5);
  });

  it("stops non-replies at the daily cap (per WITA day) but never replies", async () => {
    const { time, pacer, starts, send } = pacerWith({ dailyCap: 2 });
    const results = [
      await send("a", 2),
      await send("b", 1),
      await send("c", 2),
      await send("d", 0),
    ];
    expect(results.map((r) => r.kind)).toEqual(["started", "started", "daily_cap", "started"]);
    expect(starts.map((s) => s.address)).toEqual(["a", "b", "d"]);
    expect(pacer.dailyRemaining()).toBe(0);
    // 10.00 WITA now; the WITA day ends at 16.00 UTC.
    time.set(new Date("2026-11-28T15:59:59Z"));
    expect((await send("e", 2)).kind).toBe("daily_cap");
    time.set(new Date("2026-11-28T16:00:00Z"));
    expect(pacer.dailyRemaining()).toBe(2);
    expect((await send("e", 2)).kind).toBe("started");
  });

  it("starts counting from what was already sent today", async () => {
    const { pacer, send } = pacerWith({ dailyCap: 5 });
    pacer.setDailyCount("2026-11-28", 4);
    expect(pacer.dailyCountDay()).toBe("2026-11-28");
    expect((await send("a", 2)).kind).toBe("started");
    expect((await send("b", 2)).kind).toBe("daily_cap");
  });

  it("passes a failing send's error to its caller and keeps pacing the others", async () => {
    const { pacer, starts, send } = pacerWith({ perSecond: 10 });
    const failing = pacer.pace("x", 0, () => {
      throw new Error("boom");
    });
    const next = send("y");
    await expect(failing).rejects.toThrow("boom");
    expect((await next).kind).toBe("started");
    expect(starts.map((s) => s.at - now.getTime())).toEqual([105]);
  });

  it("tells how many sends fit into a lease at the slowest pace", () => {
    expect(pacerWith({ perSecond: 30 }).pacer.capacityWithin(20_000)).toBe(571);
    expect(
      pacerWith({ perSecond: 1, minGapMs: 3000, jitterMs: 2000 }).pacer.capacityWithin(20_000),
    ).toBe(4);
    expect(pacerWith({}).pacer.capacityWithin(20_000)).toBeGreaterThan(1000);
  });
});
