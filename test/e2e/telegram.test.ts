import { and, eq } from "drizzle-orm";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buttonLabel } from "../../src/channels/telegram/render.js";
import { inboundMessages } from "../../src/db/schema/index.js";
import type { RunningBerdaya } from "../../src/server.js";
import { describeEachDatabase } from "../support/database.js";
import { FakeTelegram, type SentMessage } from "../support/fake-telegram.js";
import { startTestServer } from "../support/server.js";
import {
  goldenTurns,
  inlineButtons,
  registrationsOf,
  TelegramResident,
  telegramToken,
  textsOf,
  transcriptClock,
} from "./support.js";

/**
 * A resident registers for a training over Telegram, through everything `npm start` runs:
 * startBerdaya polls the fake Bot API server with grammY's real client, the pipeline answers,
 * and the delivery worker sends each reply with sendMessage. The conversation is golden
 * transcript 03, replayed word for word, except that some answers are given the Telegram way:
 * inline buttons (callback queries) and the shared own contact for the phone number.
 */
const turns = goldenTurns("03-daftar-menjahit-dengan-profil.txt");
/** Past 2^32, like newer Telegram accounts. */
const chatId = 5_000_000_001_234;

/** The last of `sent` with an inline keyboard: the message whose button the resident presses. */
function withButtons(sent: readonly SentMessage[]): SentMessage {
  const message = sent.findLast((m) => inlineButtons(m) !== undefined);
  if (!message) throw new Error("no message with buttons to press");
  return message;
}

describeEachDatabase("a Telegram resident, end to end", (database) => {
  const clock = transcriptClock();
  let fake: FakeTelegram;
  let berdaya: RunningBerdaya;
  let resident: TelegramResident;
  let lastUpdate: Update | undefined;
  const pressed: string[] = [];

  beforeAll(async () => {
    fake = await FakeTelegram.start(telegramToken);
    berdaya = await startTestServer(
      {
        TELEGRAM_BOT_TOKEN: telegramToken,
        TELEGRAM_API_ROOT: fake.apiRoot,
        // One reply a second per chat is Telegram's pace; the test needs no such wait.
        TELEGRAM_CHAT_GAP: "0s",
        SEED_DEMO: "true",
      },
      {
        database: database(),
        clock,
      },
    );
    resident = new TelegramResident(fake, chatId, clock);
  });
  afterAll(async () => {
    await berdaya?.stop();
    await fake?.close();
  });

  it("holds the whole registration, every reply delivered in order by sendMessage", async () => {
    /** How the resident answers on Telegram where the transcript's typed answer is not used. */
    const telegramWay: Record<string, (previous: SentMessage[]) => Update> = {
      "iya setuju": (previous) => resident.presses("ya", withButtons(previous)),
      "balikpapan tenga": (previous) => resident.presses("4", withButtons(previous)),
      "0812-3456-7890": () => resident.sharesOwnContact("6281234567890"),
      iyaaa: (previous) => resident.presses("ya", withButtons(previous)),
      "menjahit dasar": (previous) => resident.presses("1", withButtons(previous)),
    };
    let previous: SentMessage[] = [];
    for (const turn of turns) {
      const answer = telegramWay[turn.says];
      if (answer) {
        const update = answer(previous);
        const data = update.callback_query?.data;
        if (data !== undefined) {
          // The button pressed is one the bot really offered.
          expect(inlineButtons(withButtons(previous))?.map((b) => b.data)).toContain(data);
          pressed.push(update.callback_query?.id ?? "");
        }
        lastUpdate = update;
      } else {
        lastUpdate = resident.types(turn.says);
      }

      const sent = await resident.replies(turn.replies.length);
      expect(
        sent.map((m) => m.text),
        `replies to "${turn.says}"`,
      ).toEqual(textsOf(turn.replies));
      sent.forEach((message, index) => {
        const labels = turn.replies[index]?.labels;
        const buttons = inlineButtons(message);
        if (labels) {
          expect(buttons?.map((b) => b.text)).toEqual(
            labels.map((label) => buttonLabel({ id: "", label })),
          );
        } else {
          expect(buttons).toBeUndefined();
        }
      });
      previous = sent;
    }

    // The phone question and its re-ask offered the "share my number" keyboard.
    const phoneQuestions = fake.sent.filter((m) => m.text.includes("Tulis nomor HP"));
    expect(phoneQuestions).toHaveLength(2);
    for (const question of phoneQuestions) {
      expect(question.replyMarkup).toMatchObject({
        keyboard: [[{ text: "Kirim nomor HP saya", request_contact: true }]],
        one_time_keyboard: true,
      });
    }
    // Every pressed button was answered, so its spinner stopped.
    const answered = fake.calls
      .filter((call) => call.method === "answerCallbackQuery")
      .map((call) => call.payload.callback_query_id);
    expect(answered).toEqual(expect.arrayContaining(pressed));
    expect(pressed).toHaveLength(4);

    expect(await registrationsOf(database().db, "telegram", String(chatId))).toEqual([
      {
        status: "registered",
        programme: "MJH01",
        name: "Siti Aminah",
        phone: "+6281234567890",
      },
    ]);
  }, 120_000);

  it("does not answer an update Telegram delivers again", async () => {
    if (!lastUpdate) throw new Error("the conversation did not run");
    const again = lastUpdate;
    fake.redeliver(again);
    const menu = resident.types("menu");
    // Updates of a chat are handled in order: had the redelivered one been answered, its reply
    // would come before the menu.
    const [reply] = await resident.replies(1);
    expect(reply?.text).toBe(turns[1]?.replies[1]?.text);
    await fake.confirmed(menu.update_id);
    const stored = await database()
      .db.select({ id: inboundMessages.id })
      .from(inboundMessages)
      .where(
        and(
          eq(inboundMessages.channel, "telegram"),
          eq(inboundMessages.externalId, String(again.update_id)),
        ),
      );
    expect(stored).toHaveLength(1);
  }, 60_000);
});
