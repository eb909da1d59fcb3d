import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";

/**
 * A fake Telegram Bot API server on 127.0.0.1 for grammY's real HTTP client (`apiRoot`). It
 * implements what Berdaya calls — getMe, getUpdates (long polling), deleteWebhook, setWebhook,
 * setMyCommands, sendMessage, answerCallbackQuery, getFile and file downloads — records every
 * call, and lets a test script failures. Tests await it (`nextSent`, `nextCall`, `confirmed`),
 * never sleep.
 */

export interface ApiError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

/** A scripted failure: a Bot API error answer, or a dropped connection (a network error). */
export type FakeFailure = ApiError | "disconnect";

/**
 * What the fake does to one request instead of answering it (see `faults`): a Bot API error, a
 * dropped connection ("reset") or no answer at all ("hang"), with nothing done; or, for
 * sendMessage, the message sent and then the connection dropped or never answered: the client
 * cannot know it went ("accepted-reset", "accepted-hang").
 */
export type InjectedFault = ApiError | "reset" | "hang" | "accepted-reset" | "accepted-hang";

export const telegramErrors = {
  tooManyRequests: (retryAfter: number): ApiError => ({
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    parameters: { retry_after: retryAfter },
  }),
  blocked: {
    error_code: 403,
    description: "Forbidden: bot was blocked by the user",
  } satisfies ApiError,
  deactivated: {
    error_code: 403,
    description: "Forbidden: user is deactivated",
  } satisfies ApiError,
  chatNotFound: { error_code: 400, description: "Bad Request: chat not found" } satisfies ApiError,
  badRequest: (description: string): ApiError => ({
    error_code: 400,
    description: `Bad Request: ${description}`,
  }),
  serverError: { error_code: 500, description: "Internal Server Error" } satisfies ApiError,
  badGateway: { error_code: 502, description: "Bad Gateway" } satisfies ApiError,
  unauthorized: { error_code: 401, description: "Unauthorized" } satisfies ApiError,
};

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
  /** When it arrived, in performance.now() milliseconds. */
  at: number;
}

export interface SentMessage {
  /** chat_id as the client sent it, as text. */
  chatId: string;
  text: string;
  replyMarkup?: unknown;
  messageId: number;
  payload: Record<string, unknown>;
  /** Sent, but the client got no answer (an "accepted-reset" or "accepted-hang" fault). */
  answerLost?: true;
}

export interface WebhookSetting {
  url: string;
  secret: string | undefined;
  allowedUpdates: unknown;
}

export type UpdateInput = Omit<Update, "update_id"> & { update_id?: number };

/** Bot API limits the fake enforces, answering 429 (retry after 1 s) to a send that breaks one. */
export interface FakeLimits {
  /** Most sendMessage calls accepted in any one-second window. */
  perSecond: number;
  /** Least time between two accepted sends to one chat. */
  perChatGapMs: number;
}

interface Waiter {
  respond(updates: Update[]): void;
}

export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  readonly sent: SentMessage[] = [];
  /** The current webhook (setWebhook), undefined after deleteWebhook. */
  webhook: WebhookSetting | undefined;
  /** Every offset getUpdates was called with. */
  readonly offsets: number[] = [];
  /** The bot's commands from the last setMyCommands. */
  commands: unknown;
  /**
   * Every webhook delivery attempt's HTTP status (0: the connection failed), in order. Like
   * Telegram, an update whose delivery was not answered 2xx is posted again after
   * `webhookRetryMs`, before any later update.
   */
  readonly webhookAnswers: number[] = [];
  webhookRetryMs = 100;
  /** Sends answered 429 because they broke the limits given to `start`. */
  tooManyRequests = 0;
  /** When each message in `sent` arrived, in performance.now() milliseconds. */
  readonly sentAt: number[] = [];
  /**
   * Consulted for every call with a valid token and no scripted failure: a fault to inject
   * into it, or undefined to answer it normally.
   */
  faults: ((call: ApiCall) => InjectedFault | undefined) | undefined;

  private readonly server: Server;
  private readonly failures: { method: string; failure: FakeFailure; chatId?: string }[] = [];
  private readonly queue: Update[] = [];
  private readonly redeliveries: Update[] = [];
  private readonly webhookQueue: Update[] = [];
  private webhookDelivering = false;
  private closed = false;
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<() => void>();
  private readonly files = new Map<string, { path: string; bytes: Uint8Array }>();
  private readonly cursors = new Map<string, number>();
  private confirmedOffset = 0;
  private nextUpdateId = 100_000_001;
  private nextMessageId = 1000;
  private readonly lastToChat = new Map<string, number>();

  private constructor(
    readonly token: string,
    server: Server,
    private readonly limits: FakeLimits | undefined,
  ) {
    this.server = server;
  }

  /**
   * Starts on a free port. `token` is the only one accepted (others get 401); with `limits`,
   * sends over them are answered 429 as Telegram does.
   */
  static async start(
    token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi",
    limits?: FakeLimits,
  ): Promise<FakeTelegram> {
    let fake: FakeTelegram | undefined;
    const server = createServer((req, res) => {
      fake?.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    fake = new FakeTelegram(token, server, limits);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return fake;
  }

  get apiRoot(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Queues an update for getUpdates (an update_id is assigned when missing) and returns it. */
  pushUpdate(input: UpdateInput): Update {
    const update = { ...input, update_id: input.update_id ?? this.nextUpdateId++ } as Update;
    this.nextUpdateId = Math.max(this.nextUpdateId, update.update_id + 1);
    if (this.webhook) {
      this.webhookQueue.push(update);
      void this.deliverToWebhook();
      return update;
    }
    this.queue.push(update);
    this.flushWaiters();
    return update;
  }

  /** How many pushed updates the webhook has not answered 2xx yet. */
  get webhookBacklog(): number {
    return this.webhookQueue.length;
  }

  /** Posts queued updates to the webhook one at a time, each until it is answered 2xx. */
  private async deliverToWebhook(): Promise<void> {
    if (this.webhookDelivering) return;
    this.webhookDelivering = true;
    try {
      for (
        let update = this.webhookQueue[0];
        update && !this.closed;
        update = this.webhookQueue[0]
      ) {
        const status = await this.postToWebhook(update).then(
          async (response) => {
            await response.arrayBuffer();
            return response.status;
          },
          () => 0,
        );
        this.webhookAnswers.push(status);
        this.notify();
        if (status >= 200 && status < 300) this.webhookQueue.shift();
        else await new Promise((resolve) => setTimeout(resolve, this.webhookRetryMs));
      }
    } finally {
      this.webhookDelivering = false;
    }
  }

  /**
   * Delivers `update` once more even though it was confirmed, as Telegram does when a bot
   * crashed between storing and confirming.
   */
  redeliver(update: Update): void {
    this.redeliveries.push(update);
    this.flushWaiters();
  }

  /** The next call of `method` not yet returned by this function. */
  nextCall(method: string): Promise<ApiCall> {
    return this.waitFor(() => {
      const cursor = this.cursors.get(method) ?? 0;
      const index = this.calls.findIndex((call, i) => i >= cursor && call.method === method);
      if (index < 0) return undefined;
      this.cursors.set(method, index + 1);
      return this.calls[index];
    });
  }

  /** The next sendMessage not yet returned by this function. */
  nextSent(): Promise<SentMessage> {
    return this.waitFor(() => {
      const cursor = this.cursors.get("#sent") ?? 0;
      const message = this.sent[cursor];
      if (message) this.cursors.set("#sent", cursor + 1);
      return message;
    });
  }

  /** Resolves once getUpdates was called with an offset past `updateId` (it is confirmed). */
  confirmed(updateId: number): Promise<void> {
    return this.waitFor(() => (this.confirmedOffset > updateId ? true : undefined)).then(() => {});
  }

  /** Resolves once `condition` holds (checked now and after every call to the fake). */
  until(condition: () => boolean): Promise<void> {
    return this.waitFor(() => (condition() ? true : undefined)).then(() => {});
  }

  /** The next call of `method` (for `chatId`, when given) fails with `failure`. */
  failNext(method: string, failure: FakeFailure, options: { chatId?: string } = {}): void {
    this.failures.push({ method, failure, ...options });
  }

  /** A file getFile can describe and the file path can serve. */
  addFile(fileId: string, bytes: Uint8Array, path = `photos/${fileId}.jpg`): void {
    this.files.set(fileId, { path, bytes });
  }

  /** Posts `update` to the webhook URL, as Telegram does, with the given secret header. */
  postToWebhook(update: Update | Record<string, unknown>, secret?: string): Promise<Response> {
    if (!this.webhook) throw new Error("no webhook set");
    const token = secret ?? this.webhook.secret;
    return fetch(this.webhook.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token === undefined ? {} : { "x-telegram-bot-api-secret-token": token }),
      },
      body: JSON.stringify(update),
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.respond([]);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private waitFor<T>(take: () => T | undefined): Promise<T> {
    const now = take();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => {
      const check = () => {
        const value = take();
        if (value === undefined) return;
        this.listeners.delete(check);
        resolve(value);
      };
      this.listeners.add(check);
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private pending(limit: number): Update[] {
    return [...this.redeliveries.splice(0), ...this.queue].slice(0, limit);
  }

  private flushWaiters(): void {
    if (this.queue.length === 0 && this.redeliveries.length === 0) return;
    const waiter = this.waiters.values().next().value;
    if (!waiter) return;
    waiter.respond(this.pending(100));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) {
      const stored = [...this.files.values()].find((entry) => entry.path === file[2]);
      if (file[1] !== this.token || !stored) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-length": stored.bytes.byteLength }).end(stored.bytes);
      return;
    }
    const call = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!call) {
      reply(res, { error_code: 404, description: "Not Found" });
      return;
    }
    const [, token, method = ""] = call;
    const body = await readBody(req);
    const payload = body === "" ? {} : (JSON.parse(body) as Record<string, unknown>);
    const apiCall: ApiCall = { method, payload, at: performance.now() };
    this.calls.push(apiCall);
    this.notify();
    if (token !== this.token) {
      reply(res, telegramErrors.unauthorized);
      return;
    }
    const chatId = payload.chat_id === undefined ? undefined : String(payload.chat_id);
    const index = this.failures.findIndex(
      (f) => f.method === method && (f.chatId === undefined || f.chatId === chatId),
    );
    if (index >= 0) {
      const failure = this.failures.splice(index, 1)[0]!.failure;
      if (failure === "disconnect") req.socket.destroy();
      else reply(res, failure);
      return;
    }
    const fault = this.faults?.(apiCall);
    if (fault === undefined) {
      this.answer(method, payload, res);
    } else if (typeof fault !== "string") {
      reply(res, fault);
    } else {
      if (fault.startsWith("accepted-") && method === "sendMessage") {
        this.record(payload, { answerLost: true });
      }
      // A hang leaves the request unanswered until the client gives up (or `close`).
      if (fault.endsWith("reset")) req.socket.destroy();
    }
  }

  private answer(method: string, payload: Record<string, unknown>, res: ServerResponse): Answered {
    switch (method) {
      case "getMe":
        return ok(res, {
          id: Number(this.token.split(":")[0]),
          is_bot: true,
          first_name: "Berdaya",
          username: "BerdayaTestBot",
          can_join_groups: false,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        });
      case "setWebhook":
        this.webhook = {
          url: String(payload.url),
          secret: payload.secret_token === undefined ? undefined : String(payload.secret_token),
          allowedUpdates: payload.allowed_updates,
        };
        this.notify();
        return ok(res, true);
      case "deleteWebhook":
        this.webhook = undefined;
        return ok(res, true);
      case "setMyCommands":
        this.commands = payload.commands;
        return ok(res, true);
      case "answerCallbackQuery":
        return ok(res, true);
      case "getFile": {
        const fileId = String(payload.file_id);
        const stored = this.files.get(fileId);
        if (!stored) return reply(res, telegramErrors.badRequest("invalid file_id"));
        return ok(res, {
          file_id: fileId,
          file_unique_id: `u-${fileId}`,
          file_size: stored.bytes.byteLength,
          file_path: stored.path,
        });
      }
      case "sendMessage":
        return this.sendMessage(payload, res);
      case "getUpdates":
        return this.getUpdates(payload, res);
      default:
        return reply(res, { error_code: 404, description: "Not Found: method not found" });
    }
  }

  /** Whether a send to `chatId` now stays within the limits given to `start`. */
  private withinLimits(chatId: string): boolean {
    if (!this.limits) return true;
    const now = performance.now();
    let inLastSecond = 0;
    for (let i = this.sentAt.length - 1; i >= 0 && (this.sentAt[i] ?? 0) > now - 1000; i--) {
      inLastSecond++;
    }
    const last = this.lastToChat.get(chatId);
    if (inLastSecond >= this.limits.perSecond) return false;
    if (last !== undefined && now - last < this.limits.perChatGapMs) return false;
    this.lastToChat.set(chatId, now);
    return true;
  }

  private sendMessage(payload: Record<string, unknown>, res: ServerResponse): Answered {
    if (!this.withinLimits(String(payload.chat_id))) {
      this.tooManyRequests++;
      return reply(res, telegramErrors.tooManyRequests(1));
    }
    const message = this.record(payload);
    return ok(res, {
      message_id: message.messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: Number(payload.chat_id), type: "private", first_name: "Warga" },
      text: message.text,
    });
  }

  /** Records a message as sent (delivered to the chat). */
  private record(payload: Record<string, unknown>, extra: { answerLost?: true } = {}): SentMessage {
    const message: SentMessage = {
      chatId: String(payload.chat_id),
      text: String(payload.text),
      ...(payload.reply_markup === undefined ? {} : { replyMarkup: payload.reply_markup }),
      messageId: this.nextMessageId++,
      payload,
      ...extra,
    };
    this.sent.push(message);
    this.sentAt.push(performance.now());
    this.notify();
    return message;
  }

  /** Long polling: answers at once when updates wait, else when one is pushed or at timeout. */
  private getUpdates(payload: Record<string, unknown>, res: ServerResponse): Answered {
    if (this.webhook) {
      return reply(res, {
        error_code: 409,
        description: "Conflict: can't use getUpdates method while webhook is active",
      });
    }
    if (typeof payload.offset === "number") {
      this.offsets.push(payload.offset);
      const offset = payload.offset;
      this.confirmedOffset = Math.max(this.confirmedOffset, offset);
      this.queue.splice(0, this.queue.length, ...this.queue.filter((u) => u.update_id >= offset));
      this.notify();
    }
    const limit = typeof payload.limit === "number" ? payload.limit : 100;
    const ready = this.pending(limit);
    const timeout = typeof payload.timeout === "number" ? payload.timeout : 0;
    if (ready.length > 0 || timeout === 0) return ok(res, ready);
    let timer: NodeJS.Timeout | undefined;
    const waiter: Waiter = {
      respond: (updates) => {
        this.waiters.delete(waiter);
        clearTimeout(timer);
        if (!res.writableEnded && !res.destroyed) ok(res, updates);
      },
    };
    timer = setTimeout(() => waiter.respond([]), timeout * 1000);
    // The response's "close": the client went away (its AbortSignal) before we answered.
    res.on("close", () => {
      if (!res.writableEnded) {
        this.waiters.delete(waiter);
        clearTimeout(timer);
      }
    });
    this.waiters.add(waiter);
    return "answered";
  }
}

/** Marks a request as answered (now, or by a waiter later). */
type Answered = "answered";

function ok(res: ServerResponse, result: unknown): Answered {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ ok: true, result }));
  return "answered";
}

function reply(res: ServerResponse, error: ApiError): Answered {
  res.writeHead(error.error_code, { "content-type": "application/json" });
  res.end(JSON.stringify({ ok: false, ...error }));
  return "answered";
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
