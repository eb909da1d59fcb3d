import { afterAll, beforeAll, expect, it } from "vitest";
import type { SimulatorReply } from "../../src/channels/simulator/message.js";
import { buttonLabel } from "../../src/channels/telegram/render.js";
import type { RunningBerdaya } from "../../src/server.js";
import { describeEachDatabase } from "../support/database.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { startTestServer } from "../support/server.js";
import {
  goldenTurns,
  inlineButtons,
  type RecordingClient,
  recordingClients,
  TelegramResident,
  type Turn,
  telegramToken,
  textsOf,
  transcriptClock,
  WhatsAppResident,
} from "./support.js";

/**
 * One golden conversation, typed word for word by three residents at once on one running
 * Berdaya (startBerdaya with the simulator, Telegram and WhatsApp all on): over the simulator's
 * HTTP API, to the fake Telegram Bot API server, and through the fake WhatsApp client. Every
 * channel gets the same texts, in the same order, and the simulator's replies are the golden
 * transcript's.
 *
 * What is normalised: nothing in the texts (compared exactly). Only the rendering of choices
 * differs, and is checked per channel: the simulator returns them as {id, label}; Telegram shows
 * them as an inline keyboard (labels cut at 40 characters with "…", callback data = choice id);
 * WhatsApp sends the text alone (the numbered options are in it).
 *
 * The transcripts stay clear of what legitimately differs per channel: the phone question
 * (asked on the simulator and Telegram, not on WhatsApp, which knows the number).
 */
const transcripts = [
  // consent, the menu, BANTUAN and its options
  "01-sapaan-persetujuan-menu.txt",
  // consent, the menu, the profile questions, BANTUAN in the middle of them, a request for staff
  "10-bantuan-di-tengah-pertanyaan.txt",
];

interface Seen {
  text: string;
  /** Choices as the channel shows them; undefined when it shows none. */
  buttons?: { label: string; id: string }[];
}

describeEachDatabase("the same conversation on every channel", (database) => {
  const clock = transcriptClock();
  const clients = recordingClients();
  let fake: FakeTelegram;
  let client: RecordingClient;
  let berdaya: RunningBerdaya;

  beforeAll(async () => {
    fake = await FakeTelegram.start(telegramToken);
    berdaya = await startTestServer(
      {
        SIMULATOR_ENABLED: "true",
        TELEGRAM_BOT_TOKEN: telegramToken,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_CHAT_GAP: "0s",
        WHATSAPP_ENABLED: "true",
        WHATSAPP_MIN_GAP: "0s",
        WHATSAPP_JITTER: "0s",
        SEED_DEMO: "true",
      },
      {
        database: database(),
        clock,
        whatsappClient: clients.factory,
      },
    );
    client = await clients.first;
    client.emit("authenticated");
    client.emit("ready");
  });
  afterAll(async () => {
    await berdaya?.stop();
    await fake?.close();
  });

  async function onSimulator(turns: Turn[], from: string): Promise<Seen[][]> {
    const seen: Seen[][] = [];
    for (const [index, turn] of turns.entries()) {
      const response = await fetch(`${berdaya.url}/api/simulator/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ from, name: "Warga Satu", text: turn.says, id: `${from}-${index}` }),
      });
      expect(response.status).toBe(200);
      const { replies } = (await response.json()) as { replies: SimulatorReply[] };
      seen.push(
        replies.map((reply) =>
          reply.choices ? { text: reply.text, buttons: reply.choices } : { text: reply.text },
        ),
      );
    }
    return seen;
  }

  async function onTelegram(turns: Turn[], chatId: number): Promise<Seen[][]> {
    const resident = new TelegramResident(fake, chatId, clock, "Nur");
    const seen: Seen[][] = [];
    for (const turn of turns) {
      resident.types(turn.says);
      const sent = await resident.replies(turn.replies.length);
      seen.push(
        sent.map((message) => {
          const buttons = inlineButtons(message);
          return buttons
            ? { text: message.text, buttons: buttons.map((b) => ({ label: b.text, id: b.data })) }
            : { text: message.text };
        }),
      );
    }
    return seen;
  }

  async function onWhatsApp(turns: Turn[], chatId: string): Promise<Seen[][]> {
    const resident = new WhatsAppResident(() => client, chatId, clock, "Nur");
    const seen: Seen[][] = [];
    for (const turn of turns) {
      resident.types(turn.says);
      seen.push((await resident.replies(turn.replies.length)).map((text) => ({ text })));
    }
    return seen;
  }

  for (const [n, file] of transcripts.entries()) {
    it(`${file}: the same replies on the simulator, Telegram and WhatsApp`, async () => {
      const turns = goldenTurns(file);
      const [simulator, telegram, whatsapp] = await Promise.all([
        onSimulator(turns, `warga-e2e-${n}`),
        onTelegram(turns, 5_000_000_002_000 + n),
        onWhatsApp(turns, `62813555000${n}0@c.us`),
      ]);

      turns.forEach((turn, index) => {
        const context = `replies to "${turn.says}"`;
        const golden = turn.replies;
        const texts = textsOf(golden);
        // The simulator says what the golden transcript says, choices included.
        expect(simulator[index], context).toEqual(
          golden.map((reply) => ({
            text: reply.text,
            ...(reply.labels
              ? { buttons: reply.labels.map((label) => expect.objectContaining({ label })) }
              : {}),
          })),
        );
        // Telegram and WhatsApp: the very same texts.
        expect(
          telegram[index]?.map((seen) => seen.text),
          context,
        ).toEqual(texts);
        expect(
          whatsapp[index]?.map((seen) => seen.text),
          context,
        ).toEqual(texts);
        // Choices: Telegram's inline keyboard is the simulator's choices; WhatsApp shows none.
        expect(
          telegram[index]?.map((seen) => seen.buttons),
          context,
        ).toEqual(
          simulator[index]?.map((seen) =>
            seen.buttons?.map((choice) => ({ label: buttonLabel(choice), id: choice.id })),
          ),
        );
        expect(whatsapp[index]?.every((seen) => seen.buttons === undefined)).toBe(true);
      });
    }, 120_000);
  }
});
