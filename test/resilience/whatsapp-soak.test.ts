import { eq } from "drizzle-orm";
import { Registry } from "prom-client";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { SentMessageLike } from "../../src/channels/whatsapp/client.js";
import { loadConfig } from "../../src/config.js";
import { consoleRoutes } from "../../src/console/router.js";
import { type Core, openCore } from "../../src/core.js";
import { inboundMessages } from "../../src/db/schema/index.js";
import { createDeliveryWorker, type DeliveryWorker } from "../../src/delivery/worker.js";
import { createLoginThrottle } from "../../src/staff/login-throttle.js";
import { seededRandom, virtualTime } from "../delivery/support.js";
import { goldenTurns, silent, textsOf } from "../e2e/support.js";
import { ConsoleClient, demoOrganisations, staffAccount } from "../support/console.js";
import { describeEachDatabase } from "../support/database.js";
import { serve, type TestServer } from "../support/http.js";
import { noEnvFile } from "../support/process.js";
import { transcriptEpoch } from "../transcripts/run.js";
import { type FakeClient, type RawMessage, rawMessage } from "../whatsapp/fake-client.js";
import { type Harness, readyHarness, testTiming } from "../whatsapp/harness.js";
import { statusWhere } from "../whatsapp/manual-timers.js";
import { type Delivered, received } from "./received.js";

/**
 * A WhatsApp soak: residents follow golden transcript 03 through the real pipeline and delivery
 * worker while the fake whatsapp-web.js client disconnects again and again (several reasons,
 * one of them right after a message went out), its browser dies in the middle of a send (the
 * watchdog has to find it), and restarts fail several times in a row before one works. Timers
 * of the session (backoff, watchdog) are run by hand and the clock is virtual: nothing waits.
 */
const turns = goldenTurns("03-daftar-menjahit-dengan-profil.txt").slice(0, 6);
const expected = turns.flatMap((turn) => textsOf(turn.replies));
const chats = ["6281200000001@c.us", "6281200000002@c.us", "6281200000003@c.us"];

/** What happens to the client at the n-th sendMessage (counted over every client). */
type Fault = { kind: "disconnect"; reason: string; delivered: boolean } | { kind: "browser dies" };

/** Each fault, then this many restarts failing before one works (the backoff grows). */
const outages: {
  atSend: number;
  fault: Fault;
  failedStarts: number;
  /** The failed restarts hang (no QR code, no login, no error) instead of failing at once. */
  startsHang?: true;
}[] = [
  {
    atSend: 2,
    fault: { kind: "disconnect", reason: "NAVIGATION", delivered: false },
    failedStarts: 0,
  },
  {
    atSend: 7,
    fault: { kind: "disconnect", reason: "CONFLICT", delivered: true },
    failedStarts: 2,
  },
  { atSend: 12, fault: { kind: "browser dies" }, failedStarts: 4 },
  {
    atSend: 17,
    fault: { kind: "disconnect", reason: "TIMEOUT", delivered: false },
    failedStarts: 1,
    startsHang: true,
  },
];

/** The reconnect pauses after `failedStarts` failed restarts: doubling from the least, capped. */
function pauses(failedStarts: number): number[] {
  return Array.from({ length: failedStarts + 1 }, (_, attempt) =>
    Math.min(testTiming.reconnectMinMs * 2 ** attempt, testTiming.reconnectMaxMs),
  );
}

describeEachDatabase("WhatsApp soak: repeated disconnects and a dead browser", (database) => {
  const time = virtualTime(transcriptEpoch);
  let core: Core;
  let h: Harness;
  let worker: DeliveryWorker;
  let consoleServer: TestServer;
  let staff: ConsoleClient;
  const delivered: Delivered[] = [];
  const changes = new Set<() => void>();
  const changed = () => {
    for (const listener of [...changes]) listener();
  };
  /** Resolves once `condition` holds, checked after every send. */
  const until = (condition: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!condition()) return;
        changes.delete(check);
        resolve();
      };
      changes.add(check);
      check();
    });

  let sends = 0;
  let startsToFail = 0;
  let startsHang = false;
  const never = new Promise<never>(() => {});
  /** The next outage, once the test has seen the client back from the one before. */
  let armed = 0;
  const happened: (() => void)[] = [];
  const outageHappened = outages.map(
    (_, index) => new Promise<void>((resolve) => (happened[index] = resolve)),
  );

  /** Each new client: sends as scripted, a restart fails while `startsToFail` says so. */
  function shape(client: FakeClient): void {
    if (startsToFail > 0) {
      startsToFail -= 1;
      if (startsHang) {
        client.initialize = () => never;
        client.destroy = () => never;
      } else {
        client.initialize = async () => {
          throw new Error("Failed to launch the browser process");
        };
      }
    }
    client.onSend = (chatId, text) => {
      sends += 1;
      const outage = outages[armed];
      const sent: SentMessageLike = { id: { _serialized: `true_${chatId}_3EB0SENT${sends}` } };
      if (!outage || sends < outage.atSend) {
        delivered.push({ chatId, text });
        changed();
        return Promise.resolve(sent);
      }
      happened[armed]?.();
      armed = -1;
      startsToFail = outage.failedStarts;
      startsHang = outage.startsHang ?? false;
      if (outage.fault.kind === "browser dies") {
        // Nothing answers any more: not this send, not the watchdog, not closing the browser.
        client.onGetState = () => never;
        client.destroy = () => never;
        return never;
      }
      if (outage.fault.delivered) delivered.push({ chatId, text, answerLost: true });
      changed();
      client.emit("disconnected", outage.fault.reason);
      return Promise.reject(new Error("Protocol error: Session closed."));
    };
  }

  /** What residents wrote while WhatsApp was down: WhatsApp hands it over after reconnecting. */
  const waiting: RawMessage[] = [];
  const typed: RawMessage[] = [];
  function types(chatId: string, body: string): void {
    const raw = rawMessage({ from: chatId, body, notifyName: "Ibu Warga", t: 1_795_831_200 });
    typed.push(raw);
    if (h.adapter.status().state === "ready") h.client().receive(raw);
    else waiting.push(raw);
  }

  async function channelOnConsole(): Promise<string> {
    const page = await staff.get("/console/saluran");
    return (
      /<h2>WhatsApp<\/h2>\n<p>Status: <strong data-state="[a-z]+">([^<]*)</.exec(page.text)?.[1] ??
      ""
    );
  }

  beforeAll(async () => {
    const config = loadConfig({ SEED_DEMO: "true", LOG_LEVEL: "silent" }, noEnvFile);
    core = await openCore(config, silent(), {
      database: database(),
      clock: time.clock,
      afterTurn: () => worker?.wake(),
    });
    h = await readyHarness(database().db, (message) => core.pipeline.receive(message), {
      clock: time.clock,
      onClient: shape,
    });
    worker = createDeliveryWorker({
      db: database().db,
      adapters: new Map([["whatsapp", h.adapter]]),
      clock: time.clock,
      sleep: time.sleep,
      random: seededRandom(3),
      log: silent(),
      registry: new Registry(),
      workerId: "soak",
      quietHours: null,
    });
    h.adapter.onStatus((state) => {
      if (state.state === "ready") worker.wake();
    });
    worker.start();
    consoleServer = await serve([
      consoleRoutes({
        db: database().db,
        clock: time.clock,
        log: silent(),
        secureCookies: false,
        throttle: createLoginThrottle(time.clock),
        flows: core.flows,
        channels: new Map([["whatsapp", h.adapter]]),
        simulatorEnabled: false,
        wakeDelivery: () => worker.wake(),
        offerTtlMs: config.offerTtlMs,
      }),
    ]);
    const { dinsos } = await demoOrganisations(database(), time.clock());
    await staffAccount(database(), "petugas@dinsos.id", dinsos);
    staff = new ConsoleClient(consoleServer.url);
    await staff.login("petugas@dinsos.id");
  });
  afterAll(async () => {
    await consoleServer?.close();
    await worker?.stop();
    await h?.adapter.stop();
    await core?.close();
  });

  it("loses nothing, sends every reply once in order, backs off within bounds, shows the state", async () => {
    expect(await channelOnConsole()).toBe("Tersambung");
    const conversations = Promise.all(
      chats.map(async (chatId) => {
        for (const [index, turn] of turns.entries()) {
          types(chatId, turn.says);
          const count = turns.slice(0, index + 1).flatMap((t) => t.replies).length;
          await until(() => received(delivered, chatId).length >= count);
        }
      }),
    );

    const seenOnConsole: string[] = [];
    const reconnectPauses: number[] = [];
    for (const [index, outage] of outages.entries()) {
      await outageHappened[index];
      if (outage.fault.kind === "browser dies") {
        // The watchdog asks the browser, gets no answer, gives the client up; closing it
        // hangs too and is given up; the send stuck in the dead browser times out.
        expect(h.timers.tick(testTiming.watchdogMs)).toBe(1);
        await h.timers.timeoutOf(testTiming.watchdogTimeoutMs);
        h.timers.runTimeouts(testTiming.watchdogTimeoutMs);
        await h.timers.timeoutOf(testTiming.destroyTimeoutMs);
        h.timers.runTimeouts(testTiming.destroyTimeoutMs);
        expect(h.timers.runTimeouts(testTiming.sendTimeoutMs)).toBe(1);
      }
      await statusWhere(h.adapter, (state) => state.state === "disconnected");
      seenOnConsole.push(await channelOnConsole());

      for (const [attempt, pause] of pauses(outage.failedStarts).entries()) {
        await h.timers.timeoutOf(pause);
        expect(h.timers.runTimeouts(pause)).toBe(1);
        reconnectPauses.push(pause);
        if (attempt === outage.failedStarts) break;
        if (outage.startsHang) {
          // The watchdog gives a start up that shows nothing for two of its rounds.
          for (let round = 0; round < 3; round++) {
            expect(h.adapter.status().state).toBe("starting");
            h.timers.tick(testTiming.watchdogMs);
          }
          await h.timers.timeoutOf(testTiming.destroyTimeoutMs);
          h.timers.runTimeouts(testTiming.destroyTimeoutMs);
        }
        // Each failed restart shows as disconnected again, with why.
        await statusWhere(h.adapter, (state) => state.state === "disconnected");
        seenOnConsole.push(await channelOnConsole());
      }
      expect(h.adapter.status().state).toBe("starting");
      seenOnConsole.push(await channelOnConsole());
      h.client().emit("authenticated");
      h.client().emit("ready");
      expect(await channelOnConsole()).toBe("Tersambung");
      armed = index + 1;

      // WhatsApp hands over what came meanwhile, and again the last message before the
      // outage (it does so after a reconnect); replies retried meanwhile come due.
      const last = typed.filter((raw) => !waiting.includes(raw)).at(-1);
      for (const raw of [...(last ? [last] : []), ...waiting.splice(0)]) h.client().receive(raw);
      time.advance(testTiming.notReadyRetryMs * 2);
      worker.wake();
    }
    await conversations;

    // Every message stored once, and processed.
    await h.adapter.settled();
    const stored = await database()
      .db.select({
        externalId: inboundMessages.externalId,
        processedAt: inboundMessages.processedAt,
      })
      .from(inboundMessages)
      .where(eq(inboundMessages.channel, "whatsapp"));
    expect(stored.map((row) => row.externalId).sort()).toEqual(
      typed.map((raw) => raw.id._serialized).sort(),
    );
    expect(stored.every((row) => row.processedAt !== null)).toBe(true);

    // Every reply received once and in order; only the one whose answer was lost came twice.
    for (const chatId of chats) {
      expect(received(delivered, chatId).map((message) => message.text)).toEqual(expected);
    }
    expect(delivered.filter((message) => message.answerLost)).toHaveLength(1);
    expect(delivered).toHaveLength(expected.length * chats.length + 1);

    // The backoff doubled with each failed restart, stayed under its cap, and started again
    // from the least after each success.
    expect(reconnectPauses).toEqual([
      5_000, 5_000, 10_000, 20_000, 5_000, 10_000, 20_000, 40_000, 40_000, 5_000, 10_000,
    ]);
    expect(seenOnConsole).toEqual([
      "Terputus: koneksi terputus (NAVIGATION)",
      "Sedang dinyalakan",
      "Terputus: WhatsApp Web dibuka di tempat lain",
      "Terputus: gagal membuka WhatsApp Web (periksa Chromium)",
      "Terputus: gagal membuka WhatsApp Web (periksa Chromium)",
      "Sedang dinyalakan",
      "Terputus: browser tidak menjawab",
      ...Array(4).fill("Terputus: gagal membuka WhatsApp Web (periksa Chromium)"),
      "Sedang dinyalakan",
      "Terputus: koneksi terputus (TIMEOUT)",
      "Terputus: WhatsApp Web tidak selesai dibuka",
      "Sedang dinyalakan",
    ]);

    // The logs name no resident: no phone number, no message text.
    const logText = JSON.stringify(h.logs);
    for (const chatId of chats) expect(logText).not.toContain(chatId.slice(0, 12));
    for (const turn of turns.filter((t) => t.says.length > 3)) {
      expect(logText).not.toContain(turn.says);
    }
  }, 60_000);
});
