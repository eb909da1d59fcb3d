import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { inboundMessages } from "../../src/db/schema/index.js";
import type { RunningBerdaya } from "../../src/server.js";
import { seededRandom } from "../delivery/support.js";
import {
  goldenTurns,
  TelegramResident,
  telegramToken,
  textsOf,
  transcriptClock,
} from "../e2e/support.js";
import { ConsoleClient, demoOrganisations, staffAccount } from "../support/console.js";
import { type Driver, freshDatabase } from "../support/database.js";
import {
  type ApiCall,
  FakeTelegram,
  type InjectedFault,
  telegramErrors,
} from "../support/fake-telegram.js";
import { startTestServer } from "../support/server.js";
import { waitUntil } from "../support/wait.js";
import { received } from "./received.js";

/**
 * Telegram under repeated faults, end to end: Berdaya (everything `npm start` runs, in this
 * process) polls a fake Bot API server that answers a deterministic-random share of getUpdates
 * and sendMessage calls with 429 (retry_after), 5xx, a dropped connection, or no answer past the
 * client's timeout, sometimes after it has already sent the message. Meanwhile residents follow
 * golden transcript 03, each waiting for the replies to one message before the next; halfway,
 * getUpdates fails outright until /readyz and the console's Saluran page say so.
 */
export interface TelegramFaultOptions {
  residents: number;
  /** The first turns of transcript 03 each resident goes through (at most 9: later ones
   * depend on the other residents' registrations). */
  turns: number;
  /** Share of sendMessage and of getUpdates calls given a fault. */
  sendFaultRate: number;
  pollFaultRate: number;
  /**
   * Whether faults include requests left unanswered: each costs the client's whole timeout
   * (5 s for sendMessage here, the long poll plus 5 s for getUpdates), so only the slow run has
   * them.
   */
  hangs: boolean;
  seed: number;
}

export interface TelegramFaultReport {
  /** Faults injected, by method and kind ("sendMessage 429", "getUpdates reset", …). */
  faults: Record<string, number>;
  /** Messages sent whose answer was lost: the only ones a resident may receive twice. */
  answerLost: number;
  /** Messages the residents received more than once. */
  repeated: number;
  /** /readyz and the Saluran page while getUpdates failed, and after. */
  readyDuringOutage: string;
  consoleDuringOutage: string;
  readyAfter: string;
  consoleAfter: string;
  durationMs: number;
}

const transcript = "03-daftar-menjahit-dengan-profil.txt";
const firstChatId = 7_000_000_001;
const retryAfterSeconds = [1, 3, 5];

/**
 * Chooses the faults: for each chat its own seeded sequence (so what a chat meets does not
 * depend on how the chats' calls interleave), never twice in a row for one chat or for
 * getUpdates (a message retried keeps its chat waiting at least 5 s; the test stays short).
 * Notes when each 429 ends, per chat and for getUpdates.
 */
function faultPlan(options: TelegramFaultOptions) {
  const counts: Record<string, number> = {};
  const blockedUntil = new Map<string, { from: number; until: number }[]>();
  const randoms = new Map<string, () => number>();
  const faultedLast = new Set<string>();
  let outage = false;
  let outageCalls = 0;
  let pollHangs = 0;

  const randomFor = (key: string) => {
    let random = randoms.get(key);
    if (!random) {
      random = seededRandom(
        [...key].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), options.seed),
      );
      randoms.set(key, random);
    }
    return random;
  };

  function choose(call: ApiCall): InjectedFault | undefined {
    if (call.method !== "sendMessage" && call.method !== "getUpdates") return undefined;
    const key = call.method === "getUpdates" ? "getUpdates" : String(call.payload.chat_id);
    const count = (fault: InjectedFault) => {
      const kind = `${call.method} ${typeof fault === "string" ? fault : fault.error_code}`;
      counts[kind] = (counts[kind] ?? 0) + 1;
      return fault;
    };
    const tooManyRequests = (seconds: number) => {
      const windows = blockedUntil.get(key) ?? [];
      blockedUntil.set(key, [...windows, { from: call.at, until: call.at + seconds * 1000 }]);
      return count(telegramErrors.tooManyRequests(seconds));
    };
    if (call.method === "getUpdates" && outage) {
      faultedLast.add(key);
      const kinds = [
        () => count(telegramErrors.serverError),
        () => count("reset"),
        () => tooManyRequests(1),
      ];
      return kinds[outageCalls++ % kinds.length]?.();
    }
    const random = randomFor(key);
    const rate = call.method === "getUpdates" ? options.pollFaultRate : options.sendFaultRate;
    if (faultedLast.has(key) || random() >= rate) {
      faultedLast.delete(key);
      return undefined;
    }
    faultedLast.add(key);
    const pick = random();
    if (call.method === "getUpdates") {
      // An unanswered long poll costs a minute: at most one.
      if (options.hangs && pollHangs === 0 && pick < 0.2) {
        pollHangs++;
        return count("hang");
      }
      if (pick < 0.5) return tooManyRequests(1 + Math.floor(random() * 2));
      if (pick < 0.75) return count(telegramErrors.badGateway);
      return count("reset");
    }
    const kinds: (() => InjectedFault)[] = [
      () => {
        const seconds = retryAfterSeconds[Math.floor(random() * retryAfterSeconds.length)] ?? 1;
        return tooManyRequests(seconds);
      },
      () => count(telegramErrors.serverError),
      () => count(telegramErrors.badGateway),
      () => count("reset"),
      () => count("accepted-reset"),
      ...(options.hangs ? [() => count("hang"), () => count("accepted-hang")] : []),
    ];
    return kinds[Math.floor(pick * kinds.length)]?.();
  }

  return {
    choose,
    counts,
    blockedUntil,
    setOutage(on: boolean) {
      outage = on;
    },
  };
}

async function readyz(berdaya: RunningBerdaya): Promise<string> {
  const response = await fetch(`${berdaya.url}/readyz`);
  const body = (await response.json()) as { checks: Record<string, { detail?: string }> };
  return body.checks.telegram?.detail ?? "";
}

/** The Telegram status line of the Saluran page. */
async function telegramOnConsole(staff: ConsoleClient): Promise<string> {
  const page = await staff.get("/console/saluran");
  return /<h2>Telegram<\/h2>\n<p>Status: <strong>([^<]*)<\/strong>/.exec(page.text)?.[1] ?? "";
}

export async function runTelegramFaults(
  database: Database,
  options: TelegramFaultOptions,
): Promise<TelegramFaultReport> {
  const started = performance.now();
  const turns = goldenTurns(transcript).slice(0, options.turns);
  const half = Math.floor(turns.length / 2);
  const plan = faultPlan(options);
  const clock = transcriptClock();
  const fake = await FakeTelegram.start(telegramToken);
  let berdaya: RunningBerdaya | undefined;
  try {
    berdaya = await startTestServer(
      {
        TELEGRAM_BOT_TOKEN: telegramToken,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_MODE: "polling",
        TELEGRAM_CHAT_GAP: "0s",
        // Shorter than the defaults (15 s, 30 s) so that a call left unanswered costs seconds.
        TELEGRAM_REQUEST_TIMEOUT: "5s",
        TELEGRAM_POLL_TIMEOUT: "5s",
        SEED_DEMO: "true",
      },
      { database: database, clock },
    );
    const { dinsos } = await demoOrganisations(database, clock());
    await staffAccount(database, "petugas@dinsos.id", dinsos);
    const staff = new ConsoleClient(berdaya.url);
    await staff.login("petugas@dinsos.id");
    expect(await telegramOnConsole(staff)).toBe("Tersambung");

    const residents = Array.from(
      { length: options.residents },
      (_, i) => new TelegramResident(fake, firstChatId + i, clock, `Warga ${i + 1}`),
    );
    const pushed: number[] = [];
    /** Each resident says turn after turn, waiting until they have every reply so far. */
    const talk = (from: number, to: number) =>
      Promise.all(
        residents.map(async (resident) => {
          const chatId = String(resident.chatId);
          for (let index = from; index < to; index++) {
            pushed.push(resident.types(turns[index]?.says ?? "").update_id);
            const expected = turns.slice(0, index + 1).flatMap((turn) => turn.replies).length;
            await fake.until(() => received(fake.sent, chatId).length >= expected);
          }
        }),
      );

    fake.faults = plan.choose;
    await talk(0, half);

    // getUpdates fails outright: the operator sees it, residents' messages wait at Telegram.
    plan.setOutage(true);
    const during = talk(half, turns.length);
    await waitUntil("/readyz to report Telegram disconnected", async () =>
      (await readyz(berdaya as RunningBerdaya)).startsWith("disconnected: "),
    );
    const readyDuringOutage = await readyz(berdaya);
    const consoleDuringOutage = await telegramOnConsole(staff);
    plan.setOutage(false);
    await during;
    const readyAfter = await readyz(berdaya);
    const consoleAfter = await telegramOnConsole(staff);
    fake.faults = undefined;

    // Every message stored once and processed; every update confirmed.
    const stored = await database.db
      .select({ externalId: inboundMessages.externalId, processedAt: inboundMessages.processedAt })
      .from(inboundMessages)
      .where(eq(inboundMessages.channel, "telegram"));
    expect(stored.map((row) => Number(row.externalId)).sort()).toEqual([...pushed].sort());
    expect(stored.every((row) => row.processedAt !== null)).toBe(true);
    await fake.confirmed(Math.max(...pushed));

    // Each resident received every reply once, in order; only a message whose answer was lost
    // came twice, and each of those did.
    const expected = turns.flatMap((turn) => textsOf(turn.replies));
    for (const resident of residents) {
      const chatId = String(resident.chatId);
      expect(received(fake.sent, chatId).map((m) => m.text)).toEqual(expected);
    }
    const answerLost = fake.sent.filter((message) => message.answerLost).length;
    const repeated = fake.sent.length - expected.length * residents.length;
    expect(repeated).toBe(answerLost);
    expect(answerLost).toBe(
      (plan.counts["sendMessage accepted-reset"] ?? 0) +
        (plan.counts["sendMessage accepted-hang"] ?? 0),
    );

    // Backoff held: no call to a chat (or getUpdates) while its 429 said to wait.
    for (const [key, windows] of plan.blockedUntil) {
      const calls = fake.calls.filter((call) =>
        key === "getUpdates"
          ? call.method === "getUpdates"
          : call.method === "sendMessage" && String(call.payload.chat_id) === key,
      );
      for (const { from, until } of windows) {
        const early = calls.filter((call) => call.at > from && call.at < until);
        expect(early, `${key}: called again within a 429's retry_after`).toEqual([]);
      }
    }

    return {
      faults: plan.counts,
      answerLost,
      repeated,
      readyDuringOutage,
      consoleDuringOutage,
      readyAfter,
      consoleAfter,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    fake.faults = undefined;
    await berdaya?.stop();
    await fake.close();
  }
}

/** The scenario as a test on a fresh database of `driver`, its report printed. */
export function describeTelegramFaults(driver: Driver, options: TelegramFaultOptions): void {
  describe(`Telegram under repeated Bot API faults [${driver}]`, () => {
    let database: Database | undefined;
    beforeAll(async () => {
      database = await freshDatabase(driver);
    });
    afterAll(async () => {
      await database?.close();
    });

    it("loses nothing, repeats only sends whose answer was lost, shows the outage", async () => {
      if (!database) throw new Error("no database");
      const report = await runTelegramFaults(database, options);
      console.log(`Telegram faults [${driver}]: ${JSON.stringify(report)}`);
      // The seed is chosen so that sends meet every kind of fault.
      const kinds = ["429", "500", "502", "reset", "accepted-reset"];
      if (options.hangs) kinds.push("hang", "accepted-hang");
      for (const kind of kinds) expect(report.faults).toHaveProperty([`sendMessage ${kind}`]);
      expect(report.readyDuringOutage).toMatch(/^disconnected: .*getUpdates/);
      expect(report.consoleDuringOutage).toMatch(/^Terputus: .*getUpdates/);
      expect(report.readyAfter).toBe("ready");
      expect(report.consoleAfter).toBe("Tersambung");
    }, 300_000);
  });
}
