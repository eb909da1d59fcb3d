import fc from "fast-check";
import type { Api } from "grammy";
import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import type { InboundMessage } from "../../src/channels/contract.js";
import { createUpdateHandler } from "../../src/channels/telegram/handle-update.js";
import type { DraftMessage } from "../../src/channels/telegram/inbound.js";
import type { WhatsAppMessageLike } from "../../src/channels/whatsapp/client.js";
import { isWhatsAppMessage, toInboundMessage } from "../../src/channels/whatsapp/inbound.js";
import { createLogger } from "../../src/log.js";
import { noDatabase } from "../telegram/support.js";
import { fuzzRuns, residentText } from "./arbitraries.js";

const now = new Date("2026-11-28T02:00:00.000Z");

/** A value of the wrong kind where the platform promised another. */
const oddValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string({ maxLength: 5 }),
  fc.integer(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 2 ** 60),
  fc.boolean(),
  fc.object({ maxDepth: 1 }),
  fc.array(fc.integer(), { maxLength: 2 }),
);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary }, { weight: 1, arbitrary: oddValue });

const telegramUser = fc.record(
  {
    id: maybe(fc.integer({ min: 1, max: 2 ** 40 })),
    is_bot: maybe(fc.boolean()),
    first_name: maybe(residentText),
    last_name: maybe(residentText),
  },
  { requiredKeys: [] },
);
const telegramChat = fc.record(
  {
    id: maybe(fc.integer({ min: -(2 ** 40), max: 2 ** 40 })),
    type: maybe(fc.constantFrom("private", "group", "supergroup", "channel")),
  },
  { requiredKeys: [] },
);
const telegramMessage = fc.record(
  {
    message_id: maybe(fc.nat()),
    date: maybe(fc.integer({ min: 1_600_000_000, max: 1_900_000_000 })),
    chat: maybe(telegramChat),
    from: maybe(telegramUser),
    text: maybe(residentText),
    caption: maybe(residentText),
    photo: maybe(
      fc.array(
        fc.record(
          {
            file_id: maybe(fc.string()),
            file_size: maybe(fc.nat()),
            width: maybe(fc.nat()),
            height: maybe(fc.nat()),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    ),
    document: maybe(
      fc.record(
        {
          file_id: fc.string(),
          mime_type: maybe(fc.constantFrom("image/png", "application/pdf")),
          file_size: maybe(fc.nat()),
        },
        { requiredKeys: [] },
      ),
    ),
    contact: maybe(
      fc.record(
        { phone_number: maybe(residentText), user_id: maybe(fc.integer()) },
        { requiredKeys: [] },
      ),
    ),
    location: maybe(
      fc.record(
        { latitude: maybe(fc.double()), longitude: maybe(fc.double()) },
        { requiredKeys: [] },
      ),
    ),
    voice: maybe(fc.object({ maxDepth: 0 })),
    sticker: maybe(fc.object({ maxDepth: 0 })),
  },
  { requiredKeys: [] },
);
const telegramUpdate = fc.record(
  {
    update_id: fc.nat(),
    message: maybe(telegramMessage),
    edited_message: maybe(telegramMessage),
    callback_query: maybe(
      fc.record(
        {
          id: maybe(fc.string()),
          from: maybe(telegramUser),
          data: maybe(residentText),
          message: maybe(telegramMessage),
        },
        { requiredKeys: [] },
      ),
    ),
    my_chat_member: maybe(
      fc.record(
        {
          chat: maybe(telegramChat),
          new_chat_member: maybe(
            fc.record({ status: maybe(fc.constantFrom("kicked", "member", "left")) }),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ["update_id"] },
);

/** What the pipeline can store: text where text belongs, a real date, finite coordinates. */
function expectStorable(message: InboundMessage | DraftMessage) {
  expect(typeof message.externalId).toBe("string");
  expect(typeof message.senderId).toBe("string");
  expect(message.senderId).not.toBe("");
  expect(Number.isNaN(message.receivedAt.getTime())).toBe(false);
  if (message.displayName !== undefined) expect(typeof message.displayName).toBe("string");
  if (message.phone !== undefined) expect(typeof message.phone).toBe("string");
  const content = message.content;
  switch (content.kind) {
    case "text":
      expect(typeof content.text).toBe("string");
      break;
    case "choice":
      expect(typeof content.choiceId).toBe("string");
      break;
    case "contact":
      expect(typeof content.phone).toBe("string");
      break;
    case "location":
      expect(Number.isFinite(content.latitude) && Number.isFinite(content.longitude)).toBe(true);
      break;
    case "other":
      expect(typeof content.description).toBe("string");
      break;
    case "photo":
    case "photo_file":
      if (content.caption !== undefined) expect(typeof content.caption).toBe("string");
      break;
  }
}

describe("Telegram updates of any shape", () => {
  const handler = createUpdateHandler({
    api: {} as Api,
    log: createLogger("silent"),
    receive: async () => {},
    token: "123:abc",
    apiRoot: "http://127.0.0.1:1",
    db: noDatabase as never,
    clock: () => now,
    maxBytes: 5_000_000,
    timeoutMs: 1_000,
  });

  it("are planned without throwing, and a planned message can be stored", () => {
    fc.assert(
      fc.property(telegramUpdate, (update) => {
        const prepared = handler.prepare(update as unknown as Update);
        expect(typeof prepared.chatKey).toBe("string");
        if (prepared.plan.kind !== "message") return;
        expectStorable(prepared.plan.message);
        expect(prepared.plan.message.senderId).toMatch(/^-?\d+$/);
      }),
      {
        ...fuzzRuns(500),
        // What the fuzzing found once: no date, no chat id, object data, bad contact/location.
        examples: [
          [{ update_id: 1, message: { chat: { type: "private" } } }],
          [{ update_id: 2, message: { chat: { id: Number.NaN, type: "private" } } }],
          [{ update_id: 3, callback_query: { from: {}, data: {} } }],
          [{ update_id: 4, message: { chat: { id: 1, type: "private" }, date: 1, contact: " " } }],
          [{ update_id: 5, message: { chat: { id: 1, type: "private" }, date: 1, location: {} } }],
        ],
      },
    );
  });
});

/** A whatsapp-web.js message of any shape (what a future WhatsApp Web might send). */
const whatsappMessage = fc
  .record(
    {
      id: maybe(
        fc.record(
          {
            _serialized: maybe(fc.string({ minLength: 1 })),
            fromMe: maybe(fc.boolean()),
            remote: maybe(fc.constantFrom("6281234567890@c.us", "1203@g.us")),
          },
          { requiredKeys: [] },
        ),
      ),
      from: maybe(
        fc.constantFrom(
          "6281234567890@c.us",
          "103884527943872@lid",
          "status@broadcast",
          "1203@g.us",
          "x",
          "@c.us",
          "62@c.us",
        ),
      ),
      type: maybe(
        fc.constantFrom(
          "chat",
          "image",
          "location",
          "vcard",
          "ptt",
          "sticker",
          "revoked",
          "e2e_notification",
          "?",
        ),
      ),
      body: maybe(residentText),
      fromMe: maybe(fc.boolean()),
      timestamp: maybe(fc.integer({ min: 1_600_000_000, max: 1_900_000_000 })),
      location: maybe(
        fc.record(
          { latitude: maybe(fc.double()), longitude: maybe(fc.double()) },
          { requiredKeys: [] },
        ),
      ),
      _data: maybe(
        fc.record({ notifyName: maybe(residentText), size: maybe(fc.nat()) }, { requiredKeys: [] }),
      ),
    },
    { requiredKeys: [] },
  )
  .chain((message) =>
    fc
      .oneof(
        fc.constant(undefined),
        fc.constant(new Error("gone")),
        fc.record({
          mimetype: maybe(fc.constantFrom("image/jpeg", "video/mp4")),
          data: maybe(fc.base64String({ maxLength: 40 })),
        }),
      )
      .map((media) => ({
        ...message,
        downloadMedia: async () => {
          if (media instanceof Error) throw media;
          return media;
        },
      })),
  );

describe("WhatsApp messages of any shape", () => {
  it("are read without throwing, and a message to store is storable", async () => {
    await fc.assert(
      fc.asyncProperty(whatsappMessage, async (raw) => {
        if (!isWhatsAppMessage(raw)) return;
        const read = await toInboundMessage(raw as WhatsAppMessageLike, {
          now,
          savePhoto: async () => 1,
        });
        if (read.kind === "inbound") expectStorable(read.message);
      }),
      fuzzRuns(500),
    );
  });
});
