import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { commandText } from "../../src/channels/telegram/commands.js";
import { planUpdate } from "../../src/channels/telegram/inbound.js";
import { pickPhotoSize } from "../../src/channels/telegram/photo-size.js";
import {
  asUpdate,
  bigChatId,
  buttonUpdate,
  memberUpdate,
  messageUpdate,
  resident,
  sentAt,
  textUpdate,
} from "./updates.js";

const now = new Date("2026-06-01T02:00:00Z");
const options = { now, maxPhotoBytes: 5 * 1024 * 1024 };
const plan = (update: Parameters<typeof asUpdate>[0], updateId = 501) =>
  planUpdate(asUpdate(update, updateId), options);

function contentOf(update: Parameters<typeof asUpdate>[0]) {
  const result = plan(update);
  if (result.kind !== "message") throw new Error(`expected a message, got ${result.kind}`);
  return result.message.content;
}

describe("planUpdate: messages from a private chat", () => {
  it("maps a text to an InboundMessage keyed by update id, sender = chat id as text", () => {
    expect(plan(textUpdate("halo"), 900_000_001)).toEqual({
      kind: "message",
      chatId: "7123456789",
      message: {
        channel: "telegram",
        externalId: "900000001",
        senderId: "7123456789",
        displayName: "Siti Aminah",
        receivedAt: new Date(sentAt * 1000),
        content: { kind: "text", text: "halo" },
      },
    });
  });

  it("keeps chat ids past 2^31 and 2^32 exact, as decimal text", () => {
    const from = resident(2 ** 52 + 1, { last_name: undefined });
    const result = plan(textUpdate("halo", { from }));
    expect(result).toMatchObject({
      chatId: "4503599627370497",
      message: { senderId: "4503599627370497", displayName: "Siti" },
    });
    expect(plan(textUpdate("halo", { from: resident(2_147_483_648) }))).toMatchObject({
      chatId: "2147483648",
    });
    expect(String(bigChatId)).toBe("7123456789");
  });

  it("turns the bot's commands into the words the engine understands", () => {
    expect(contentOf(textUpdate("/start"))).toEqual({ kind: "text", text: "menu" });
    expect(contentOf(textUpdate("/start MJH01"))).toEqual({ kind: "text", text: "daftar MJH01" });
    expect(contentOf(textUpdate("/start menjahit"))).toEqual({
      kind: "text",
      text: "daftar menjahit",
    });
    expect(contentOf(textUpdate("/menu"))).toEqual({ kind: "text", text: "menu" });
    expect(contentOf(textUpdate("/bantuan"))).toEqual({ kind: "text", text: "bantuan" });
    expect(contentOf(textUpdate("/daftar"))).toEqual({ kind: "text", text: "daftar" });
    expect(contentOf(textUpdate("/jadwal"))).toEqual({ kind: "text", text: "jadwal" });
    expect(contentOf(textUpdate("/lapor"))).toEqual({ kind: "text", text: "lapor" });
  });

  it("maps a shared contact; only the resident's own number is own", () => {
    const own = messageUpdate({
      contact: { phone_number: "6281234567890", first_name: "Siti", user_id: bigChatId },
    });
    expect(contentOf(own)).toEqual({ kind: "contact", phone: "6281234567890", isOwn: true });
    const other = messageUpdate({
      contact: { phone_number: "+6281399998888", first_name: "Tetangga", user_id: 555 },
    });
    expect(contentOf(other)).toEqual({ kind: "contact", phone: "+6281399998888", isOwn: false });
    const noUser = messageUpdate({ contact: { phone_number: "0812", first_name: "X" } });
    expect(contentOf(noUser)).toMatchObject({ isOwn: false });
  });

  it("maps location, voice, sticker and other content", () => {
    expect(contentOf(messageUpdate({ location: { latitude: -1.26, longitude: 116.83 } }))).toEqual({
      kind: "location",
      latitude: -1.26,
      longitude: 116.83,
    });
    expect(
      contentOf(
        messageUpdate({
          voice: { file_id: "v", file_unique_id: "v", duration: 3 },
        }),
      ),
    ).toEqual({ kind: "voice" });
    const sticker = messageUpdate({
      sticker: {
        file_id: "s",
        file_unique_id: "s",
        type: "regular",
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
      },
    });
    expect(contentOf(sticker)).toEqual({ kind: "other", description: "sticker" });
    expect(contentOf(messageUpdate({}))).toEqual({ kind: "other", description: "unsupported" });
  });

  it("plans to download the largest photo size under the cap, with its caption", () => {
    const photo = messageUpdate({
      caption: "Atap bocor",
      photo: [
        { file_id: "small", file_unique_id: "s", width: 90, height: 90, file_size: 1_000 },
        { file_id: "medium", file_unique_id: "m", width: 800, height: 800, file_size: 80_000 },
        { file_id: "huge", file_unique_id: "h", width: 5000, height: 5000, file_size: 9_000_000 },
      ],
    });
    expect(contentOf(photo)).toEqual({
      kind: "photo_file",
      fileId: "medium",
      fileSize: 80_000,
      mimeType: "image/jpeg",
      caption: "Atap bocor",
    });
    const tooBig = messageUpdate({
      photo: [{ file_id: "h", file_unique_id: "h", width: 9, height: 9, file_size: 6_000_000 }],
    });
    expect(contentOf(tooBig)).toEqual({ kind: "other", description: "photo_too_large" });
  });
});

describe("planUpdate: buttons", () => {
  it("maps a button press to a choice and asks for it to be answered", () => {
    expect(plan(buttonUpdate("1"), 77)).toEqual({
      kind: "message",
      chatId: "7123456789",
      callbackQueryId: "cq-1",
      message: {
        channel: "telegram",
        externalId: "77",
        senderId: "7123456789",
        displayName: "Siti Aminah",
        receivedAt: now,
        content: { kind: "choice", choiceId: "1" },
      },
    });
  });

  it("answers but ignores a button without data", () => {
    const update = buttonUpdate("x") as { callback_query: { data?: string } };
    delete update.callback_query.data;
    expect(plan(update as Parameters<typeof asUpdate>[0])).toEqual({
      kind: "ignore",
      reason: "no_data",
      chatId: "7123456789",
      callbackQueryId: "cq-x",
    });
  });
});

describe("planUpdate: what Berdaya stays quiet about", () => {
  it("ignores group and supergroup messages", () => {
    const group = { id: -1001234567890, type: "supergroup" as const, title: "Warga RT 05" };
    expect(plan(textUpdate("halo semua", { chat: group }))).toEqual({
      kind: "ignore",
      reason: "not_private",
      chatId: "-1001234567890",
    });
    const small = { id: -4000000001, type: "group" as const, title: "Keluarga" };
    expect(plan(textUpdate("/start", { chat: small }))).toMatchObject({ kind: "ignore" });
  });

  it("ignores channel posts, edits and messages from bots", () => {
    const post = {
      channel_post: {
        message_id: 1,
        date: sentAt,
        chat: { id: -100999, type: "channel", title: "Info" },
        text: "Pengumuman",
      },
    } as unknown as Update;
    expect(planUpdate({ ...post, update_id: 1 }, options)).toEqual({
      kind: "ignore",
      reason: "not_private",
    });
    const edited = { edited_message: textUpdate("halo").message } as unknown as Update;
    expect(planUpdate({ ...edited, update_id: 2 }, options)).toMatchObject({ reason: "edited" });
    const bot = resident(999, { is_bot: true });
    expect(plan(textUpdate("halo", { from: bot }))).toMatchObject({ reason: "from_bot" });
    expect(planUpdate({ update_id: 3 } as Update, options)).toMatchObject({
      reason: "unsupported",
    });
  });
});

describe("planUpdate: blocking and unblocking", () => {
  it("turns my_chat_member kicked/member into reachability of the chat", () => {
    expect(plan(memberUpdate("kicked"))).toEqual({
      kind: "reachability",
      chatId: "7123456789",
      reachable: false,
    });
    expect(plan(memberUpdate("member"))).toEqual({
      kind: "reachability",
      chatId: "7123456789",
      reachable: true,
    });
  });
});

describe("commandText", () => {
  it("reads bot-name suffixes, deep-link payloads and unknown commands", () => {
    expect(commandText("/start@BerdayaBot")).toBe("menu");
    expect(commandText("/start tata_busana")).toBe("daftar tata busana");
    expect(commandText("/start <script>")).toBe("menu");
    expect(commandText("/help")).toBe("bantuan");
    expect(commandText("/Jadwal")).toBe("jadwal");
    expect(commandText("/daftar MJH02")).toBe("daftar MJH02");
    expect(commandText("/halo")).toBe("halo");
    expect(commandText("halo /start")).toBeUndefined();
    expect(commandText("1/2")).toBeUndefined();
  });
});

describe("pickPhotoSize", () => {
  it("judges sizes without file_size by their pixels", () => {
    const picked = pickPhotoSize(
      [
        { file_id: "a", file_unique_id: "a", width: 320, height: 320 },
        { file_id: "b", file_unique_id: "b", width: 1280, height: 1280 },
      ],
      1000,
    );
    expect(picked?.file_id).toBe("b");
  });
});
