import { setTimeout as delay } from "node:timers/promises";
import { type Api, GrammyError } from "grammy";
import type { Logger } from "../../log.js";
import type { ChannelState } from "../adapter.js";
import { botCommands } from "./commands.js";
import { describeError, isUnauthorized } from "./errors.js";
import { allowedUpdates } from "./inbound.js";
import { timeoutSignal } from "./signal.js";
import { webhookSecret, webhookUrl } from "./webhook.js";

export interface ConnectionDeps {
  api: Api;
  token: string;
  mode: "polling" | "webhook";
  /** Where Telegram posts updates in webhook mode (without /telegram/webhook). */
  publicUrl: string;
  log: Logger;
  requestTimeoutMs: number;
  retryDelayMs: (attempt: number) => number;
  setStatus(state: ChannelState): void;
}

/** An actionable line for the operator about a failed Bot API call; never the token. */
export function explain(error: unknown, token: string): string {
  const reason = describeError(error, token);
  if (isUnauthorized(error)) {
    return `Telegram rejected the bot token (${reason}); check TELEGRAM_BOT_TOKEN with @BotFather`;
  }
  if (error instanceof GrammyError && error.error_code === 409) {
    return `${reason}; another process is polling with this bot token, or a webhook is set`;
  }
  if (error instanceof GrammyError && error.method === "setWebhook") {
    return `Telegram refused the webhook (${reason}); PUBLIC_URL must be an https:// address reachable from the internet`;
  }
  return reason;
}

/** Retrying cannot help until the operator changes the configuration. */
function isFatal(error: unknown): boolean {
  return (
    isUnauthorized(error) ||
    (error instanceof GrammyError && error.method === "setWebhook" && error.error_code === 400)
  );
}

/**
 * getMe; then deleteWebhook (polling: getUpdates refuses to run while a webhook is set) or
 * setWebhook with the secret and the update types (webhook); then setMyCommands, whose failure
 * only costs the command menu.
 */
async function setUp(deps: ConnectionDeps, signal: AbortSignal): Promise<void> {
  const { api, log, token } = deps;
  const timeout = () => timeoutSignal(deps.requestTimeoutMs, signal);
  const me = await api.getMe(timeout());
  if (deps.mode === "webhook") {
    await api.setWebhook(
      webhookUrl(deps.publicUrl),
      { secret_token: webhookSecret(token), allowed_updates: [...allowedUpdates] },
      timeout(),
    );
  } else {
    await api.deleteWebhook({ drop_pending_updates: false }, timeout());
  }
  try {
    await api.setMyCommands(botCommands, undefined, timeout());
  } catch (error) {
    log.warn({ reason: describeError(error, token) }, "telegram setMyCommands failed");
  }
  log.info({ bot: me.username, mode: deps.mode }, "telegram bot connected");
}

/**
 * Sets the bot up, retrying with `retryDelayMs` until it works (true), the error is fatal
 * (false: a refused token or webhook URL, logged once), or `signal` aborts (false). Calls
 * `firstAttemptFailed` after a first failure that will be retried, so `start` can return.
 */
export async function connect(
  deps: ConnectionDeps,
  signal: AbortSignal,
  firstAttemptFailed: () => void,
): Promise<boolean> {
  for (let attempt = 1; !signal.aborted; attempt++) {
    try {
      await setUp(deps, signal);
      return true;
    } catch (error) {
      if (signal.aborted) return false;
      const reason = explain(error, deps.token);
      deps.setStatus({ state: "disconnected", reason });
      if (isFatal(error)) {
        deps.log.error({ reason }, "telegram channel not started");
        return false;
      }
      deps.log.warn({ reason, attempt }, "telegram not reachable yet; retrying");
      firstAttemptFailed();
      try {
        await delay(deps.retryDelayMs(attempt), undefined, { signal });
      } catch {
        return false;
      }
    }
  }
  return false;
}
