import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import type { Message, Update, User } from "grammy/types";
import type { SentMessageLike } from "../../src/channels/whatsapp/client.js";
import type { Db } from "../../src/db/client.js";
import {
  channelIdentities,
  contacts,
  programmes,
  registrations,
} from "../../src/db/schema/index.js";
import { createLogger } from "../../src/log.js";
import type { FakeTelegram, SentMessage } from "../support/fake-telegram.js";
import { transcriptEpoch } from "../transcripts/run.js";
import { FakeClient, type RawMessage, rawMessage } from "../whatsapp/fake-client.js";

/** The token the fake Bot API server accepts and Berdaya is configured with. */
export const telegramToken = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";

export const silent = () => createLogger("silent");

/**
 * A clock that starts at the golden transcripts' epoch (Sabtu, 28 November 2026 pukul 10.00
 * WITA) and then runs in real time: the demo programmes are seeded relative to it, so their
 * dates read exactly as in the transcripts, while pacing and leases still see time pass.
 */
export function transcriptClock(): () => Date {
  const offset = transcriptEpoch.getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

/** One reply of a golden transcript: its text and, when it offers choices, their labels. */
export interface ExpectedReply {
  text: string;
  labels?: string[];
}

/** What the resident types ("> ") and every reply the bot gives to it ("< "), in order. */
export interface Turn {
  says: string;
  replies: ExpectedReply[];
}

const choicesLine = /^\[.*\]$/;

/**
 * Reads a golden transcript back into turns: the inverse of `renderReplies` (a reply's
 * continuation lines are indented by two spaces, blank lines stay blank, and a reply with
 * choices ends with a line of `[label]`s). Only plain `> ` messages are supported: the
 * transcripts used here have no @clock, @as, @burst, @restart or @redeliver.
 */
export function goldenTurns(file: string): Turn[] {
  const source = readFileSync(new URL(`../transcripts/${file}`, import.meta.url), "utf8");
  const turns: { says: string; replies: string[][] }[] = [];
  let reply: string[] | undefined;
  for (const line of source.split("\n")) {
    if (line.startsWith("@")) throw new Error(`${file}: "${line}" is not supported here`);
    if (line.startsWith("> ")) {
      turns.push({ says: line.slice(2), replies: [] });
      reply = undefined;
    } else if (line.startsWith("< ")) {
      const turn = turns.at(-1);
      if (!turn) throw new Error(`${file}: a reply before any message`);
      reply = [line.slice(2)];
      turn.replies.push(reply);
    } else if (reply && (line === "" || line.startsWith("  "))) {
      reply.push(line.slice(2));
    } else {
      reply = undefined;
    }
  }
  return turns.map(({ says, replies }) => ({
    says,
    replies: replies.map((lines) => {
      while (lines.at(-1) === "") lines.pop();
      const last = lines.at(-1) ?? "";
      if (!choicesLine.test(last)) return { text: lines.join("\n") };
      return { text: lines.slice(0, -1).join("\n"), labels: last.slice(1, -1).split("] [") };
    }),
  }));
}

/** The texts of a turn's replies. */
export const textsOf = (replies: readonly ExpectedReply[]) => replies.map((reply) => reply.text);

// ---------------------------------------------------------------------------------------------
// Telegram: a resident talking to the fake Bot API server.

/** The buttons of an inline keyboard: label and callback data, top to bottom. */
export function inlineButtons(sent: SentMessage): { text: string; data: string }[] | undefined {
  const markup = sent.replyMarkup as
    | { inline_keyboard?: { text: string; callback_data?: string }[][] }
    | undefined;
  return markup?.inline_keyboard?.flat().map((button) => ({
    text: button.text,
    data: button.callback_data ?? "",
  }));
}

/**
 * A Telegram user in a private chat with the bot. Each method pushes one update to the fake
 * server (getUpdates hands it to Berdaya) and returns it.
 */
export class TelegramResident {
  private messageId = 1;
  readonly user: User;

  constructor(
    private readonly fake: FakeTelegram,
    readonly chatId: number,
    private readonly clock: () => Date,
    firstName = "Siti",
  ) {
    this.user = { id: chatId, is_bot: false, first_name: firstName };
  }

  private get chat() {
    return { id: this.chatId, type: "private" as const, first_name: this.user.first_name };
  }

  private message(fields: Partial<Message>): Update {
    return this.fake.pushUpdate({
      message: {
        message_id: this.messageId++,
        date: Math.floor(this.clock().getTime() / 1000),
        chat: this.chat,
        from: this.user,
        ...fields,
      } as Message & Update.NonChannel,
    });
  }

  types(text: string): Update {
    return this.message({ text });
  }

  /** Shares their own contact: what the "Kirim nomor HP saya" button sends. */
  sharesOwnContact(phoneNumber: string): Update {
    return this.message({
      contact: {
        phone_number: phoneNumber,
        first_name: this.user.first_name,
        user_id: this.user.id,
      },
    });
  }

  /** Presses the inline button with callback data `data` under the bot's message `under`. */
  presses(data: string, under: SentMessage): Update {
    return this.fake.pushUpdate({
      callback_query: {
        id: `cq-${this.chatId}-${this.messageId++}`,
        from: this.user,
        chat_instance: `ci-${this.chatId}`,
        data,
        message: {
          message_id: under.messageId,
          date: Math.floor(this.clock().getTime() / 1000),
          chat: this.chat,
          text: under.text,
        },
      },
    } as Omit<Update, "update_id">);
  }

  /** The bot's next `count` sendMessage calls, each checked to go to this chat. */
  async replies(count: number): Promise<SentMessage[]> {
    const sent: SentMessage[] = [];
    for (let i = 0; i < count; i++) {
      const message = await this.fake.nextSent();
      if (message.chatId !== String(this.chatId)) {
        throw new Error(`sendMessage to chat ${message.chatId}, expected ${this.chatId}`);
      }
      sent.push(message);
    }
    return sent;
  }
}

// ---------------------------------------------------------------------------------------------
// WhatsApp: the fake whatsapp-web.js client, with a way to await what Berdaya sends.

/** FakeClient whose sendMessage calls can be awaited one by one (`nextSent`). */
export class RecordingClient extends FakeClient {
  private cursor = 0;
  private readonly waiting = new Set<() => void>();

  override sendMessage(
    chatId: string,
    content: string,
  ): Promise<SentMessageLike | null | undefined> {
    const result = super.sendMessage(chatId, content);
    for (const listener of [...this.waiting]) listener();
    return result;
  }

  /** The next sendMessage call not returned yet. */
  nextSent(): Promise<{ chatId: string; content: string }> {
    return new Promise((resolve) => {
      const check = () => {
        const sent = this.sent[this.cursor];
        if (!sent) return;
        this.cursor += 1;
        this.waiting.delete(check);
        resolve(sent);
      };
      this.waiting.add(check);
      check();
    });
  }
}

/**
 * The WhatsApp client factory for `startBerdaya({ whatsappClient })`: builds RecordingClients
 * and lets the test await the first one.
 */
export function recordingClients() {
  const clients: RecordingClient[] = [];
  let built: (client: RecordingClient) => void = () => {};
  const first = new Promise<RecordingClient>((resolve) => {
    built = resolve;
  });
  return {
    clients,
    factory: () => {
      const client = new RecordingClient();
      clients.push(client);
      built(client);
      return client;
    },
    first,
  };
}

/** A WhatsApp user writing to Berdaya from `chatId` (a real whatsapp-web.js Message each time). */
export class WhatsAppResident {
  constructor(
    private readonly client: () => RecordingClient,
    readonly chatId: string,
    private readonly clock: () => Date,
    private readonly name = "Ibu Sari",
  ) {}

  types(body: string): RawMessage {
    const raw = rawMessage({
      from: this.chatId,
      body,
      notifyName: this.name,
      t: Math.floor(this.clock().getTime() / 1000),
    });
    this.client().receive(raw);
    return raw;
  }

  /** The bot's next `count` sendMessage calls, each checked to go to this chat. */
  async replies(count: number): Promise<string[]> {
    const texts: string[] = [];
    for (let i = 0; i < count; i++) {
      const sent = await this.client().nextSent();
      if (sent.chatId !== this.chatId) {
        throw new Error(`sendMessage to ${sent.chatId}, expected ${this.chatId}`);
      }
      texts.push(sent.content);
    }
    return texts;
  }
}

// ---------------------------------------------------------------------------------------------

/** The registrations of whoever writes from `externalId` on `channel`, with their programme. */
export async function registrationsOf(
  db: Db,
  channel: "telegram" | "whatsapp",
  externalId: string,
) {
  return db
    .select({
      status: registrations.status,
      programme: programmes.code,
      name: contacts.name,
      phone: contacts.phone,
    })
    .from(registrations)
    .innerJoin(programmes, eq(programmes.id, registrations.programmeId))
    .innerJoin(contacts, eq(contacts.id, registrations.contactId))
    .innerJoin(channelIdentities, eq(channelIdentities.contactId, contacts.id))
    .where(
      and(eq(channelIdentities.channel, channel), eq(channelIdentities.externalId, externalId)),
    );
}
