import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createTelegramAdapter,
  type TelegramAdapter,
  type TelegramAdapterOptions,
} from "../../src/channels/telegram/adapter.js";
import { FakeTelegram, telegramErrors } from "../support/fake-telegram.js";
import { capturedLog, noDatabase } from "./support.js";
import { resident, textUpdate, watch } from "./updates.js";

let fake: FakeTelegram;
let adapter: TelegramAdapter | undefined;

beforeEach(async () => {
  fake = await FakeTelegram.start();
});
afterEach(async () => {
  await adapter?.stop();
  adapter = undefined;
  await fake.close();
});

function build(options: Partial<TelegramAdapterOptions> = {}) {
  const watcher = watch();
  const logs = capturedLog();
  adapter = createTelegramAdapter({
    token: fake.token,
    apiRoot: fake.apiRoot,
    mode: "polling",
    db: noDatabase,
    log: logs.log,
    pollTimeoutSeconds: 10,
    retryDelayMs: () => 0,
    observer: watcher.observer,
    ...options,
  });
  return { adapter, watcher, logs };
}

const ignore = async () => {};

describe("Telegram adapter status", () => {
  it("reports a refused token as disconnected with an actionable line, never the token", async () => {
    const token = "4242:not-the-right-token-not-the-right-token";
    const { adapter, logs } = build({ token });
    await adapter.start(ignore);
    const state = adapter.status();
    expect(state).toMatchObject({ state: "disconnected" });
    expect(state.state === "disconnected" && state.reason).toContain("TELEGRAM_BOT_TOKEN");
    expect(logs.text()).toContain("check TELEGRAM_BOT_TOKEN with @BotFather");
    expect(logs.text()).not.toContain(token);
    expect(JSON.stringify(state)).not.toContain(token);
    expect(fake.calls.map((call) => call.method)).toEqual(["getMe"]);
  });

  it("goes disconnected after repeated polling errors and ready again when they stop", async () => {
    const { adapter, watcher } = build();
    for (let i = 0; i < 3; i++) fake.failNext("getUpdates", telegramErrors.badGateway);
    await adapter.start(ignore);
    await watcher.state("disconnected");
    const update = fake.pushUpdate(textUpdate("halo"));
    await watcher.handledUpdate(update.update_id);
    expect(watcher.states.map((state) => state.state)).toEqual([
      "starting",
      "ready",
      "disconnected",
      "ready",
    ]);
    expect(watcher.states[2]).toEqual({
      state: "disconnected",
      reason: "getUpdates: 502 Bad Gateway",
    });
  });

  it("stops polling when the token is revoked while running", async () => {
    const { adapter, watcher } = build();
    fake.failNext("getUpdates", telegramErrors.unauthorized);
    await adapter.start(ignore);
    const state = await watcher.state("disconnected");
    expect(state.state === "disconnected" && state.reason).toMatch(
      /401 Unauthorized.*TELEGRAM_BOT_TOKEN/,
    );
    expect(fake.calls.filter((call) => call.method === "getUpdates")).toHaveLength(1);
  });

  it("keeps trying in the background when Telegram cannot be reached at start", async () => {
    const { adapter, watcher } = build();
    fake.failNext("getMe", "disconnect");
    await adapter.start(ignore);
    expect(adapter.status()).toMatchObject({ state: "disconnected" });
    await watcher.state("ready");
    expect(fake.calls.filter((call) => call.method === "getMe")).toHaveLength(2);
  });

  it("reports a webhook Telegram refuses, with what PUBLIC_URL must be", async () => {
    const { adapter } = build({ mode: "webhook", publicUrl: "http://berdaya.example" });
    fake.failNext(
      "setWebhook",
      telegramErrors.badRequest("bad webhook: An HTTPS URL must be provided for webhook"),
    );
    await adapter.start(ignore);
    const state = adapter.status();
    expect(state.state === "disconnected" && state.reason).toContain(
      "PUBLIC_URL must be an https://",
    );
  });

  it("stops: the stored updates are confirmed and the state is off", async () => {
    const { adapter, watcher } = build();
    await adapter.start(ignore);
    const update = fake.pushUpdate(textUpdate("halo"));
    await watcher.handledUpdate(update.update_id);
    await adapter.stop();
    expect(adapter.status()).toEqual({ state: "off" });
    await fake.confirmed(update.update_id);
    const last = fake.calls.at(-1);
    expect(last?.method).toBe("getUpdates");
    expect(last?.payload).toEqual({ offset: update.update_id + 1, limit: 1, timeout: 0 });
  });

  it("needs PUBLIC_URL for webhook mode", () => {
    expect(() => build({ mode: "webhook" })).toThrow(/PUBLIC_URL/);
    adapter = undefined;
  });
});

describe("Telegram polling when storing fails", () => {
  it("keeps a chat's order: its later updates wait for the failed one", async () => {
    const { adapter, watcher } = build();
    const stored: string[] = [];
    let failFirst = true;
    const first = fake.pushUpdate(textUpdate("satu"));
    const second = fake.pushUpdate(textUpdate("dua"));
    const other = fake.pushUpdate(textUpdate("lain", { from: resident(3_000_000_001) }));
    await adapter.start(async (message) => {
      if (message.externalId === String(first.update_id) && failFirst) {
        failFirst = false;
        throw new Error("database unavailable");
      }
      stored.push(message.externalId);
    });
    await watcher.handledUpdate(second.update_id);
    const ids = (...updates: { update_id: number }[]) => updates.map((u) => String(u.update_id));
    expect(stored.filter((id) => ids(first, second).includes(id))).toEqual(ids(first, second));
    // Another chat goes on; it comes again with the batch (the pipeline's dedupe drops it).
    expect(stored[0]).toBe(String(other.update_id));
    expect(fake.offsets[0]).toBe(first.update_id);
    await fake.confirmed(second.update_id);
  });

  it("skips an update that keeps failing while others are stored", async () => {
    const { adapter, watcher, logs } = build();
    const poison = fake.pushUpdate(textUpdate("racun", { from: resident(3_000_000_002) }));
    const attempts: string[] = [];
    await adapter.start(async (message) => {
      attempts.push(message.externalId);
      if (message.externalId === String(poison.update_id)) throw new Error("bug");
    });
    for (let i = 1; i <= 5; i++) {
      // Each round, another resident's message goes through.
      const fine = fake.pushUpdate(textUpdate(`pesan ${i}`, { from: resident(3_000_000_100 + i) }));
      await watcher.handledUpdate(fine.update_id);
    }
    await fake.confirmed(poison.update_id);
    expect(attempts.filter((id) => id === String(poison.update_id)).length).toBeGreaterThanOrEqual(
      5,
    );
    expect(logs.text()).toContain("skipping it");
  });

  it("never skips an update the database cannot store yet, even while others are stored", async () => {
    const { adapter, watcher, logs } = build();
    const big = fake.pushUpdate(textUpdate("foto besar", { from: resident(3_000_000_003) }));
    let diskFull = true;
    const stored: string[] = [];
    await adapter.start(async (message) => {
      if (message.externalId === String(big.update_id) && diskFull) {
        throw Object.assign(new Error("could not extend file"), { code: "53100" });
      }
      stored.push(message.externalId);
    });
    for (let i = 1; i <= 6; i++) {
      const fine = fake.pushUpdate(textUpdate(`pesan ${i}`, { from: resident(3_000_000_200 + i) }));
      await watcher.handledUpdate(fine.update_id);
    }
    diskFull = false;
    await fake.confirmed(big.update_id);
    expect(stored).toContain(String(big.update_id));
    expect(logs.text()).not.toContain("skipping it");
  });

  it("never gives up on updates while nothing can be stored", async () => {
    const { adapter, watcher } = build();
    let outage = true;
    const update = fake.pushUpdate(textUpdate("halo"));
    await adapter.start(async () => {
      if (outage) throw new Error("database unavailable");
    });
    await watcher.handledUpdate(update.update_id, 8);
    expect(fake.offsets.every((offset) => offset <= update.update_id)).toBe(true);
    outage = false;
    await fake.confirmed(update.update_id);
  });
});
