import type { Router } from "express";
import { Router as createRouter } from "express";
import { Api } from "grammy";
import type { Db } from "../../db/client.js";
import { maxMediaBytes } from "../../domain/media.js";
import type { Logger } from "../../log.js";
import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelLimits,
  ChannelState,
  Receive,
} from "../adapter.js";
import { connect, explain } from "./connection.js";
import { describeError } from "./errors.js";
import { createUpdateHandler, type UpdateHandler, type UpdateOutcome } from "./handle-update.js";
import { type Polling, startPolling } from "./polling.js";
import { maxTextLength } from "./render.js";
import { sendTelegramMessage } from "./send.js";
import { webhookRouter } from "./webhook.js";

export type TelegramMode = "polling" | "webhook";

export interface TelegramAdapterOptions {
  /** From @BotFather. Never logged. */
  token: string;
  /** Bot API server; default https://api.telegram.org (tests: the fake server). */
  apiRoot?: string;
  mode: TelegramMode;
  /** Required for webhook mode: Telegram posts to `${publicUrl}/telegram/webhook`. */
  publicUrl?: string;
  db: Db;
  log: Logger;
  clock?: () => Date;
  /** Overrides of the pacing the delivery workers read from `capabilities.limits`. */
  limits?: Partial<ChannelLimits>;
  /** Largest photo downloaded from a resident; default maxMediaBytes (5 MB). */
  maxPhotoBytes?: number;
  /** getUpdates long-polling timeout in seconds; default 30. */
  pollTimeoutSeconds?: number;
  /** Timeout of every other Bot API call and of file downloads, in ms; default 15 000. */
  requestTimeoutMs?: number;
  /** Pause before the n-th retry after a failure; default 1 s, 2 s, 4 s … up to 30 s. */
  retryDelayMs?: (attempt: number) => number;
  /** Hooks for tests and metrics. */
  observer?: TelegramObserver;
}

export type UpdateHandledEvent = {
  updateId: number;
  outcome: UpdateOutcome | { kind: "failed"; reason: string };
};

export interface TelegramObserver {
  /** After each update was handled (stored, ignored, recorded) or failed to be. */
  updateHandled?(event: UpdateHandledEvent): void;
  statusChanged?(state: ChannelState): void;
}

export interface TelegramAdapter extends ChannelAdapter {
  readonly channel: "telegram";
  readonly mode: TelegramMode;
  /**
   * The express router for webhook mode (`POST /telegram/webhook`); empty in polling mode.
   * Mount it before the server listens; it answers 503 until `start` and after `stop`, and
   * hands updates to the `receive` given to `start`.
   */
  webhookRoutes(): Router;
}

const defaultLimits: ChannelLimits = {
  perSecond: 30,
  perChatGapMs: 1000,
  minGapMs: 0,
  jitterMs: 0,
  dailyCap: null,
};

/** getUpdates failures in a row before the channel reports itself disconnected. */
const failuresBeforeDisconnected = 3;

const exponential = (attempt: number) => Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));

/**
 * The Telegram channel (grammY's API client). `start(receive)`: getMe, then in polling mode
 * deleteWebhook and a getUpdates loop, in webhook mode setWebhook with a secret derived from
 * the token; then setMyCommands. `receive` must resolve once the message is stored and reject
 * when it was not: pass `(m) => pipeline.accept(m)`. `start` resolves after the first
 * connection attempt; if Telegram cannot be reached it keeps trying in the background
 * (status "disconnected" meanwhile); a refused token or webhook URL is logged once and not retried.
 */
export function createTelegramAdapter(options: TelegramAdapterOptions): TelegramAdapter {
  const { token, mode, log } = options;
  const apiRoot = (options.apiRoot ?? "https://api.telegram.org").replace(/\/+$/, "");
  const clock = options.clock ?? (() => new Date());
  const pollTimeoutSeconds = options.pollTimeoutSeconds ?? 30;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  const retryDelayMs = options.retryDelayMs ?? exponential;
  const observer = options.observer ?? {};
  if (mode === "webhook" && !options.publicUrl) {
    throw new Error("Telegram webhook mode needs PUBLIC_URL");
  }
  // The client timeout must outlast a long poll; other calls pass their own shorter signal.
  const api = new Api(token, {
    apiRoot,
    timeoutSeconds: pollTimeoutSeconds + Math.ceil(requestTimeoutMs / 1000),
  });

  const capabilities: ChannelCapabilities = {
    buttons: true,
    maxTextLength,
    limits: { ...defaultLimits, ...options.limits },
  };

  let state: ChannelState = { state: "off" };
  let handler: UpdateHandler | undefined;
  let lifetime: AbortController | undefined;
  let running: Promise<void> | undefined;
  let polling: Polling | undefined;
  let router: Router | undefined;

  function setStatus(next: ChannelState): void {
    if (JSON.stringify(next) === JSON.stringify(state)) return;
    state = next;
    observer.statusChanged?.(next);
  }

  function updateHandled(updateId: number, outcome: UpdateHandledEvent["outcome"]): void {
    log.debug({ updateId, outcome: outcome.kind }, "telegram update handled");
    observer.updateHandled?.({ updateId, outcome });
  }

  function beginPolling(): Polling {
    return startPolling({
      api,
      token,
      log,
      handler: handler ?? neverStarted(),
      timeoutSeconds: pollTimeoutSeconds,
      retryDelayMs,
      maxAttemptsPerUpdate: 5,
      onConnected: () => setStatus({ state: "ready" }),
      onConnectionError: (error, attempt) => {
        if (attempt < failuresBeforeDisconnected) return;
        const reason = explain(error, token);
        if (attempt === failuresBeforeDisconnected)
          log.warn({ reason }, "telegram polling failing");
        setStatus({ state: "disconnected", reason });
      },
      onStopped: (error) => {
        const reason = explain(error, token);
        setStatus({ state: "disconnected", reason });
        log.error({ reason }, "telegram polling stopped");
      },
      onUpdateHandled: updateHandled,
    });
  }

  return {
    channel: "telegram",
    mode,
    capabilities,

    send: (address, message) =>
      sendTelegramMessage({ api, token, timeoutMs: requestTimeoutMs }, address, message),

    async start(receive: Receive) {
      if (lifetime) return;
      const controller = new AbortController();
      lifetime = controller;
      handler = createUpdateHandler({
        api,
        token,
        apiRoot,
        db: options.db,
        clock,
        log,
        maxBytes: options.maxPhotoBytes ?? maxMediaBytes,
        timeoutMs: requestTimeoutMs,
        receive,
      });
      setStatus({ state: "starting" });
      let firstAttemptDone: () => void = () => {};
      const firstAttempt = new Promise<void>((resolve) => {
        firstAttemptDone = resolve;
      });
      running = (async () => {
        const connection = {
          api,
          token,
          mode,
          publicUrl: options.publicUrl ?? "",
          log,
          requestTimeoutMs,
          retryDelayMs,
          setStatus,
        };
        if (await connect(connection, controller.signal, firstAttemptDone)) {
          setStatus({ state: "ready" });
          if (mode === "polling" && !controller.signal.aborted) polling = beginPolling();
        }
      })()
        .catch((error: unknown) => {
          log.error({ reason: describeError(error, token) }, "telegram channel failed");
        })
        .finally(firstAttemptDone);
      await firstAttempt;
    },

    async stop() {
      const controller = lifetime;
      if (!controller) return;
      controller.abort();
      await running;
      await polling?.stop();
      polling = undefined;
      handler = undefined;
      lifetime = undefined;
      running = undefined;
      setStatus({ state: "off" });
    },

    status: () => state,

    webhookRoutes() {
      router ??=
        mode === "webhook"
          ? webhookRouter({ token, log, handler: () => handler, onUpdateHandled: updateHandled })
          : createRouter();
      return router;
    },
  };
}

function neverStarted(): never {
  throw new Error("telegram adapter polling without a handler");
}
