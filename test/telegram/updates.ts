import type { Message, Update, User } from "grammy/types";
import type { ChannelState } from "../../src/channels/adapter.js";
import type { UpdateHandledEvent } from "../../src/channels/telegram/adapter.js";
import type { UpdateInput } from "../support/fake-telegram.js";

/** A chat id past 2^32 (newer Telegram accounts): it must survive as exact text. */
export const bigChatId = 7_123_456_789;
export const sentAt = 1_780_000_000; // 2026-05-28T20:26:40Z

export function resident(id = bigChatId, name: Partial<User> = {}): User {
  return { id, is_bot: false, first_name: "Siti", last_name: "Aminah", ...name };
}

/** A message in the private chat with `from` (chat id = user id). */
export function messageUpdate(
  fields: Partial<Message>,
  options: { from?: User; updateId?: number; chat?: Message["chat"] } = {},
): UpdateInput {
  const from = options.from ?? resident();
  const message = {
    message_id: 42,
    date: sentAt,
    chat: options.chat ?? { id: from.id, type: "private", first_name: from.first_name },
    from,
    ...fields,
  } as Message & Update.NonChannel;
  return { ...(options.updateId === undefined ? {} : { update_id: options.updateId }), message };
}

export function textUpdate(
  text: string,
  options: { from?: User; updateId?: number; chat?: Message["chat"] } = {},
): UpdateInput {
  return messageUpdate({ text }, options);
}

export function buttonUpdate(data: string, options: { from?: User; updateId?: number } = {}) {
  const from = options.from ?? resident();
  return {
    ...(options.updateId === undefined ? {} : { update_id: options.updateId }),
    callback_query: {
      id: `cq-${data}`,
      from,
      chat_instance: "ci-1",
      data,
      message: {
        message_id: 7,
        date: sentAt,
        chat: { id: from.id, type: "private", first_name: from.first_name },
        text: "Apakah Anda setuju?",
      },
    },
  } as UpdateInput;
}

export function memberUpdate(
  status: "kicked" | "member",
  options: { from?: User; updateId?: number } = {},
): UpdateInput {
  const from = options.from ?? resident();
  const bot = { id: 123456, is_bot: true, first_name: "Berdaya" };
  return {
    ...(options.updateId === undefined ? {} : { update_id: options.updateId }),
    my_chat_member: {
      chat: { id: from.id, type: "private", first_name: from.first_name },
      from,
      date: sentAt,
      old_chat_member:
        status === "kicked"
          ? { status: "member", user: bot }
          : { status: "kicked", user: bot, until_date: 0 },
      new_chat_member:
        status === "kicked"
          ? { status: "kicked", user: bot, until_date: 0 }
          : { status: "member", user: bot },
    },
  } as UpdateInput;
}

export function asUpdate(input: UpdateInput, updateId = 1): Update {
  return { ...input, update_id: input.update_id ?? updateId } as Update;
}

/** Turns the adapter's observer hooks into promises a test can await. */
export function watch() {
  const handled: UpdateHandledEvent[] = [];
  const states: ChannelState[] = [];
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  function until<T>(take: () => T | undefined): Promise<T> {
    return new Promise((resolve) => {
      const check = () => {
        const value = take();
        if (value === undefined) return;
        listeners.delete(check);
        resolve(value);
      };
      listeners.add(check);
      check();
    });
  }
  return {
    handled,
    states,
    observer: {
      updateHandled(event: UpdateHandledEvent) {
        handled.push(event);
        notify();
      },
      statusChanged(state: ChannelState) {
        states.push(state);
        notify();
      },
    },
    /** The latest event for `updateId` once there are at least `count` of them. */
    handledUpdate(updateId: number, count = 1): Promise<UpdateHandledEvent> {
      return until(() => {
        const events = handled.filter((event) => event.updateId === updateId);
        return events.length >= count ? events.at(-1) : undefined;
      });
    },
    state(name: ChannelState["state"]): Promise<ChannelState> {
      return until(() => states.find((state) => state.state === name));
    },
  };
}
