import type { Update } from "grammy/types";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createTelegramAdapter,
  type TelegramAdapter,
} from "../../src/channels/telegram/adapter.js";
import { type Core, openCore } from "../../src/core.js";
import { createLogger } from "../../src/log.js";
import { describeEachDatabase } from "../support/database.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { acceptingReceiver, coreConfig, outboxFor, telegramNow } from "./support.js";
import { bigChatId, buttonUpdate, textUpdate, watch } from "./updates.js";

const chat = String(bigChatId);

describeEachDatabase("Telegram long polling with the real pipeline", (database) => {
  let fake: FakeTelegram;
  let core: Core;
  let adapter: TelegramAdapter;
  let receiver: ReturnType<typeof acceptingReceiver>;
  let watcher: ReturnType<typeof watch>;
  let hello: Update | undefined;

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    const log = createLogger("silent");
    core = await openCore(coreConfig(), log, { database: database(), clock: () => telegramNow });
    receiver = acceptingReceiver(core.pipeline);
    watcher = watch();
    adapter = createTelegramAdapter({
      token: fake.token,
      apiRoot: fake.apiRoot,
      mode: "polling",
      db: database().db,
      log,
      clock: () => telegramNow,
      pollTimeoutSeconds: 10,
      retryDelayMs: () => 0,
      observer: watcher.observer,
    });
    await adapter.start(receiver.receive);
  });
  afterAll(async () => {
    await adapter?.stop();
    await core?.close();
    await fake?.close();
  });

  it("starts: getMe, deletes any webhook, registers the Indonesian commands, ready", async () => {
    expect(adapter.status()).toEqual({ state: "ready" });
    expect(watcher.states.map((state) => state.state)).toEqual(["starting", "ready"]);
    const methods = fake.calls.map((call) => call.method);
    expect(methods.slice(0, 3)).toEqual(["getMe", "deleteWebhook", "setMyCommands"]);
    expect(fake.calls[1]?.payload).toEqual({ drop_pending_updates: false });
    expect(fake.commands).toEqual([
      { command: "start", description: "Mulai / menu utama" },
      { command: "menu", description: "Menu utama" },
      { command: "daftar", description: "Daftar pelatihan" },
      { command: "jadwal", description: "Jadwal pelatihan" },
      { command: "lapor", description: "Laporkan kebutuhan" },
      { command: "bantuan", description: "Bantuan" },
    ]);
    const poll = await fake.nextCall("getUpdates");
    expect(poll.payload).toMatchObject({
      timeout: 10,
      allowed_updates: ["message", "callback_query", "my_chat_member"],
    });
  });

  it("stores and processes a resident's message; the consent question goes to the chat", async () => {
    const update = fake.pushUpdate(textUpdate("halo"));
    hello = update;
    expect(await watcher.handledUpdate(update.update_id)).toEqual({
      updateId: update.update_id,
      outcome: { kind: "received" },
    });
    await receiver.turn(update.update_id);
    await fake.confirmed(update.update_id);

    const outbox = await outboxFor(database().db, chat);
    expect(outbox.map((row) => row.channel)).toEqual(["telegram", "telegram"]);
    expect(outbox.every((row) => row.address === chat)).toBe(true);
    const question = outbox.at(-1)!.message;
    expect(question.text).toContain("Apakah Anda setuju?");
    expect(question.choices).toEqual([
      { id: "ya", label: "Ya" },
      { id: "tidak", label: "Tidak" },
    ]);

    fake.sent.length = 0;
    for (const row of outbox) {
      expect(await adapter.send(row.address, row.message)).toMatchObject({ kind: "sent" });
    }
    expect(fake.sent.map((sent) => sent.chatId)).toEqual([chat, chat]);
    expect(fake.sent[0]?.text).toContain("Selamat datang di Berdaya");
    expect(fake.sent[1]?.replyMarkup).toEqual({
      inline_keyboard: [
        [{ text: "Ya", callback_data: "ya" }],
        [{ text: "Tidak", callback_data: "tidak" }],
      ],
    });
  });

  it("answers a redelivered update once: no new outbox rows", async () => {
    const before = await outboxFor(database().db, chat);
    const update = hello!;
    fake.redeliver(update);
    expect(await watcher.handledUpdate(update.update_id, 2)).toMatchObject({
      outcome: { kind: "received" },
    });
    expect(receiver.results).toEqual([
      `${update.update_id}:stored`,
      `${update.update_id}:duplicate`,
    ]);
    expect(await outboxFor(database().db, chat)).toHaveLength(before.length);
  });

  it("turns a button press into the choice and answers the callback query", async () => {
    const before = await outboxFor(database().db, chat);
    const update = fake.pushUpdate(buttonUpdate("ya"));
    await watcher.handledUpdate(update.update_id);
    await receiver.turn(update.update_id);
    const answered = await fake.nextCall("answerCallbackQuery");
    expect(answered.payload).toEqual({ callback_query_id: "cq-ya" });
    const after = await outboxFor(database().db, chat);
    expect(after.length).toBeGreaterThan(before.length);
    expect(after[before.length]?.message.text).toContain("persetujuan Anda sudah kami catat");
  });

  it("confirms an update only once it is stored: a failed store comes again", async () => {
    receiver.failNext();
    const update = fake.pushUpdate(textUpdate("jadwal"));
    const failed = await watcher.handledUpdate(update.update_id, 1);
    expect(failed.outcome).toEqual({ kind: "failed", reason: "Error" });
    expect(fake.offsets.at(-1)).toBeLessThanOrEqual(update.update_id);
    const stored = await watcher.handledUpdate(update.update_id, 2);
    expect(stored.outcome).toEqual({ kind: "received" });
    await receiver.turn(update.update_id);
    await fake.confirmed(update.update_id);
  });
});
