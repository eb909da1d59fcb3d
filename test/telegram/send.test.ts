import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createTelegramAdapter,
  type TelegramAdapter,
} from "../../src/channels/telegram/adapter.js";
import type { Database } from "../../src/db/client.js";
import { createLogger } from "../../src/log.js";
import { freshDatabase } from "../support/database.js";
import { FakeTelegram, telegramErrors } from "../support/fake-telegram.js";

let fake: FakeTelegram;
let database: Database;
let adapter: TelegramAdapter;
const chat = "7123456789";
const log = createLogger("silent");

beforeAll(async () => {
  fake = await FakeTelegram.start();
  database = await freshDatabase("pglite");
  adapter = createTelegramAdapter({
    token: fake.token,
    apiRoot: fake.apiRoot,
    mode: "polling",
    db: database.db,
    log,
  });
});
afterAll(async () => {
  await fake?.close();
  await database?.close();
});
beforeEach(() => {
  fake.sent.length = 0;
  fake.calls.length = 0;
});

describe("Telegram adapter: capabilities", () => {
  it("declares buttons, 4096 characters and Telegram's pacing", () => {
    expect(adapter.channel).toBe("telegram");
    expect(adapter.capabilities).toEqual({
      buttons: true,
      maxTextLength: 4096,
      limits: { perSecond: 30, perChatGapMs: 1000, minGapMs: 0, jitterMs: 0, dailyCap: null },
    });
    const slower = createTelegramAdapter({
      token: fake.token,
      mode: "polling",
      db: database.db,
      log,
      limits: { perSecond: 10, perChatGapMs: 2000 },
    });
    expect(slower.capabilities.limits).toMatchObject({ perSecond: 10, perChatGapMs: 2000 });
    expect(slower.status()).toEqual({ state: "off" });
  });
});

describe("Telegram adapter: send", () => {
  it("sends plain text to the chat id as text and returns the message id", async () => {
    const result = await adapter.send(chat, { text: "Halo <b>Ibu</b> & *Bapak*" });
    expect(result).toEqual({ kind: "sent", platformMessageId: String(fake.sent[0]?.messageId) });
    const [sent] = fake.sent;
    expect(sent?.chatId).toBe(chat);
    expect(sent?.text).toBe("Halo <b>Ibu</b> & *Bapak*");
    expect(sent?.payload).not.toHaveProperty("parse_mode");
    expect(sent?.payload.link_preview_options).toEqual({ is_disabled: true });
    expect(sent?.replyMarkup).toEqual({ remove_keyboard: true });
  });

  it("classifies 429 as retry after retry_after seconds", async () => {
    fake.failNext("sendMessage", telegramErrors.tooManyRequests(7));
    expect(await adapter.send(chat, { text: "halo" })).toEqual({
      kind: "retry",
      afterMs: 7000,
      reason: "sendMessage: 429 Too Many Requests: retry after 7",
    });
  });

  it("classifies 403 (blocked, deactivated) as unreachable", async () => {
    fake.failNext("sendMessage", telegramErrors.blocked);
    expect(await adapter.send(chat, { text: "halo" })).toEqual({
      kind: "unreachable",
      reason: "sendMessage: 403 Forbidden: bot was blocked by the user",
    });
    fake.failNext("sendMessage", telegramErrors.deactivated);
    expect(await adapter.send(chat, { text: "halo" })).toMatchObject({ kind: "unreachable" });
  });

  it("classifies 400 chat not found as unreachable, other 400s as invalid", async () => {
    fake.failNext("sendMessage", telegramErrors.chatNotFound);
    expect(await adapter.send(chat, { text: "halo" })).toMatchObject({ kind: "unreachable" });
    fake.failNext("sendMessage", telegramErrors.badRequest("message text is empty"));
    expect(await adapter.send(chat, { text: "halo" })).toEqual({
      kind: "invalid",
      reason: "sendMessage: 400 Bad Request: message text is empty",
    });
  });

  it("classifies 5xx and network failures as retry in 5 s", async () => {
    fake.failNext("sendMessage", telegramErrors.serverError);
    expect(await adapter.send(chat, { text: "halo" })).toMatchObject({
      kind: "retry",
      afterMs: 5000,
    });
    fake.failNext("sendMessage", "disconnect");
    const dropped = await adapter.send(chat, { text: "halo" });
    expect(dropped).toMatchObject({ kind: "retry", afterMs: 5000 });
    expect(dropped.kind === "retry" && dropped.reason).toMatch(
      /^Network request for 'sendMessage'/,
    );
  });

  it("retries in a minute when the token is refused, and never tells the token", async () => {
    const wrong = createTelegramAdapter({
      token: "999:wrong-token-wrong-token-wrong-token",
      apiRoot: fake.apiRoot,
      mode: "polling",
      db: database.db,
      log,
    });
    const result = await wrong.send(chat, { text: "halo" });
    expect(result).toEqual({
      kind: "retry",
      afterMs: 60_000,
      reason: "sendMessage: 401 Unauthorized",
    });
  });

  it("refuses an address that is not a chat id, and an empty text, without calling", async () => {
    expect(await adapter.send("62812@c.us", { text: "halo" })).toMatchObject({ kind: "invalid" });
    expect(await adapter.send(chat, { text: "  " })).toMatchObject({ kind: "invalid" });
    expect(fake.calls).toHaveLength(0);
  });

  it("renders choices as an inline keyboard", async () => {
    await adapter.send(chat, {
      text: "Apakah Anda setuju?\n\nKetik SETUJU atau TIDAK.",
      choices: [
        { id: "ya", label: "Ya" },
        { id: "tidak", label: "Tidak" },
      ],
    });
    expect(fake.sent[0]?.replyMarkup).toEqual({
      inline_keyboard: [
        [{ text: "Ya", callback_data: "ya" }],
        [{ text: "Tidak", callback_data: "tidak" }],
      ],
    });
  });

  it("renders requestPhone as a one-time request_contact keyboard", async () => {
    await adapter.send(chat, { text: "Berapa nomor HP Anda?", requestPhone: true });
    expect(fake.sent[0]?.replyMarkup).toMatchObject({
      keyboard: [[{ text: "Kirim nomor HP saya", request_contact: true }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    });
  });

  it("splits 5000 characters into 2 messages on a paragraph boundary, keyboard last", async () => {
    const first = `${"Jadwal pelatihan menjahit. ".repeat(100).trim()}`;
    const second = `${"Sesi berikutnya hari Senin. ".repeat(85).trim()}`;
    const text = `${first}\n\n${second}`;
    expect(text.length).toBeGreaterThan(4096);
    const result = await adapter.send(chat, {
      text,
      choices: [{ id: "1", label: "Daftar" }],
    });
    expect(fake.sent.map((sent) => sent.text)).toEqual([first, second]);
    expect(fake.sent[0]?.replyMarkup).toBeUndefined();
    expect(fake.sent[1]?.replyMarkup).toEqual({
      inline_keyboard: [[{ text: "Daftar", callback_data: "1" }]],
    });
    expect(result).toEqual({ kind: "sent", platformMessageId: String(fake.sent[1]?.messageId) });
  });
});
