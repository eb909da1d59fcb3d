import { describe, expect, it } from "vitest";
import { chatKind, phoneOfChatId, redactChatId } from "../../src/channels/whatsapp/chat-id.js";
import {
  isWhatsAppMessage,
  readWhatsAppMessage,
  toInboundMessage,
} from "../../src/channels/whatsapp/inbound.js";
import { maxMediaBytes } from "../../src/domain/media.js";
import {
  FakeClient,
  lidChat,
  rawImage,
  rawMessage,
  rawSticker,
  residentChat,
  sentAt,
  whatsappMessage,
} from "./fake-client.js";

const client = new FakeClient();
const now = new Date("2026-11-28T02:05:00.000Z");
const noPhotos = async (): Promise<number> => {
  throw new Error("no photo expected");
};

function read(raw: Parameters<typeof whatsappMessage>[1]) {
  return readWhatsAppMessage(whatsappMessage(client, raw), now);
}

describe("WhatsApp inbound mapping", () => {
  it("reads a text from a @c.us chat: sender is the chat id, the phone is its number", async () => {
    const raw = rawMessage({ body: "halo kak", notifyName: " Ibu Sari " });
    const result = await toInboundMessage(whatsappMessage(client, raw), {
      now,
      savePhoto: noPhotos,
    });
    expect(result).toEqual({
      kind: "inbound",
      message: {
        channel: "whatsapp",
        externalId: raw.id._serialized,
        senderId: residentChat,
        displayName: "Ibu Sari",
        phone: "+6281234567890",
        receivedAt: new Date(sentAt * 1000),
        content: { kind: "text", text: "halo kak" },
      },
    });
  });

  it("reads a text from a @lid chat: the phone is unknown, the lid is the sender", async () => {
    const raw = rawMessage({
      from: { server: "lid", user: "103884527943872", _serialized: lidChat },
      body: "assalamualaikum",
    });
    const result = await toInboundMessage(whatsappMessage(client, raw), {
      now,
      savePhoto: noPhotos,
    });
    expect(result.kind).toBe("inbound");
    if (result.kind !== "inbound") return;
    expect(result.message.senderId).toBe(lidChat);
    expect(result.message.phone).toBeUndefined();
    expect(result.message).not.toHaveProperty("phone");
    expect(result.message.content).toEqual({ kind: "text", text: "assalamualaikum" });
  });

  it("ignores group messages, status updates, channels, broadcast lists and its own messages", () => {
    const group = rawMessage({
      from: "120363041234567890@g.us",
      author: residentChat,
      id: {
        fromMe: false,
        remote: "120363041234567890@g.us",
        id: "3EB0AAAA",
        participant: residentChat,
        _serialized: `false_120363041234567890@g.us_3EB0AAAA_${residentChat}`,
      },
    });
    expect(read(group)).toEqual({ kind: "ignored", reason: "group" });
    expect(
      read(rawMessage({ from: "status@broadcast", isStatusV3: true, author: residentChat })),
    ).toEqual({
      kind: "ignored",
      reason: "status",
    });
    expect(read(rawMessage({ from: "120363167812345678@newsletter" }))).toEqual({
      kind: "ignored",
      reason: "newsletter",
    });
    expect(read(rawMessage({ broadcast: true }))).toEqual({ kind: "ignored", reason: "broadcast" });
    const own = rawMessage({
      from: "6281100000001@c.us",
      to: residentChat,
      id: {
        fromMe: true,
        remote: residentChat,
        id: "3EB0BBBB",
        _serialized: `true_${residentChat}_3EB0BBBB`,
      },
    });
    expect(read(own)).toEqual({ kind: "ignored", reason: "own_message" });
    expect(read(rawMessage({ type: "e2e_notification", body: "" }))).toEqual({
      kind: "ignored",
      reason: "system",
    });
  });

  it("reads a shared location", () => {
    const reading = read(
      rawMessage({ type: "location", lat: -1.2379, lng: 116.8529, loc: "Balikpapan", body: "" }),
    );
    expect(reading).toMatchObject({
      kind: "message",
      content: { kind: "location", latitude: -1.2379, longitude: 116.8529 },
    });
  });

  it("downloads and stores a photo, with its caption", async () => {
    const saved: { bytes: Uint8Array; mimeType: string }[] = [];
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
    const message = whatsappMessage(client, rawImage(), {
      mimetype: "image/jpeg",
      data: jpeg.toString("base64"),
    });
    const result = await toInboundMessage(message, {
      now,
      savePhoto: async (bytes, mimeType) => {
        saved.push({ bytes, mimeType });
        return 42;
      },
    });
    expect(result).toMatchObject({
      kind: "inbound",
      message: { content: { kind: "photo", mediaId: 42, caption: "Jalan depan rumah rusak" } },
    });
    expect(saved).toEqual([{ bytes: new Uint8Array(jpeg), mimeType: "image/jpeg" }]);
  });

  it("does not keep a photo that is too big or gone; the resident is asked again", async () => {
    const big = whatsappMessage(client, rawImage({ size: maxMediaBytes + 1 }), {
      mimetype: "image/jpeg",
      data: "AAAA",
    });
    expect(await toInboundMessage(big, { now, savePhoto: noPhotos })).toMatchObject({
      message: { content: { kind: "other", description: "foto terlalu besar" } },
      problem: "photo larger than the limit",
    });
    const gone = whatsappMessage(client, rawImage(), "gone");
    expect(await toInboundMessage(gone, { now, savePhoto: noPhotos })).toMatchObject({
      message: { content: { kind: "other", description: "foto tidak bisa diunduh" } },
    });
    // Found by the channel fuzz test (FUZZ_SEED=959602305): a media type that is not text.
    const odd = whatsappMessage(client, rawImage(), {
      mimetype: 42 as unknown as string,
      data: "AAAA",
    });
    expect(await toInboundMessage(odd, { now, savePhoto: noPhotos })).toMatchObject({
      message: { content: { kind: "other", description: "foto" } },
      problem: "media is not an image",
    });
  });

  it("reads a voice note as voice, a sticker and a video as other", () => {
    const voice = rawMessage({
      type: "ptt",
      body: "",
      directPath: "/v/t62.7117-24/1_2.enc",
      mimetype: "audio/ogg; codecs=opus",
      duration: "7",
    });
    expect(read(voice)).toMatchObject({ kind: "message", content: { kind: "voice" } });
    expect(read(rawMessage({ type: "audio", body: "" }))).toMatchObject({
      content: { kind: "voice" },
    });
    expect(read(rawSticker())).toMatchObject({
      kind: "message",
      content: { kind: "other", description: "stiker" },
    });
    expect(read(rawMessage({ type: "video", body: "" }))).toMatchObject({
      content: { kind: "other", description: "video" },
    });
  });

  it("reads a shared contact card as a phone number, own when it is the sender's", () => {
    const card = (tel: string) =>
      rawMessage({
        type: "vcard",
        body: `BEGIN:VCARD\nVERSION:3.0\nN:;Sari;;;\nFN:Sari\n${tel}\nEND:VCARD`,
      });
    expect(read(card("TEL;type=CELL;waid=6281234567890:+62 812-3456-7890"))).toMatchObject({
      content: { kind: "contact", phone: "+6281234567890", isOwn: true },
    });
    expect(read(card("TEL;type=CELL:0813-5555-1234"))).toMatchObject({
      content: { kind: "contact", phone: "+6281355551234", isOwn: false },
    });
    expect(read(card("EMAIL:sari@example.org"))).toMatchObject({
      content: { kind: "other", description: "kartu kontak" },
    });
  });

  it("checks what a message event carries", () => {
    expect(isWhatsAppMessage(whatsappMessage(client, rawMessage()))).toBe(true);
    expect(isWhatsAppMessage({ id: "x" })).toBe(false);
    expect(isWhatsAppMessage(null)).toBe(false);
  });
});

describe("WhatsApp chat ids", () => {
  it("tells chats apart, reads the phone of @c.us only, and redacts for logs", () => {
    expect(chatKind(residentChat)).toBe("personal");
    expect(chatKind(lidChat)).toBe("personal");
    expect(chatKind("120363041234567890@g.us")).toBe("group");
    expect(chatKind("status@broadcast")).toBe("status");
    expect(phoneOfChatId(residentChat)).toBe("+6281234567890");
    expect(phoneOfChatId(lidChat)).toBeUndefined();
    expect(redactChatId(residentChat)).toBe("+62812****890@c.us");
    expect(redactChatId(lidChat)).toBe("****872@lid");
  });
});
