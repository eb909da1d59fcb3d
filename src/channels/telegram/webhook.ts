import { createHash, timingSafeEqual } from "node:crypto";
import { Router } from "express";
import type { Update } from "grammy/types";
import { z } from "zod";
import { describeUnavailable, unavailableCode } from "../../db/unavailable.js";
import { KeyedQueue } from "../../inbound/keyed-queue.js";
import type { Logger } from "../../log.js";
import { describeError } from "./errors.js";
import type { UpdateHandler, UpdateOutcome } from "./handle-update.js";

export const webhookPath = "/telegram/webhook";
export const secretHeader = "x-telegram-bot-api-secret-token";

/**
 * The webhook's secret token, derived from the bot token so that no extra setting is needed:
 * hex of sha256("berdaya-webhook:" + token), first 48 characters (Telegram allows 1–256 of
 * [A-Za-z0-9_-]). Whoever knows the bot token can already do anything the bot can.
 */
export function webhookSecret(token: string): string {
  return createHash("sha256").update(`berdaya-webhook:${token}`).digest("hex").slice(0, 48);
}

export function webhookUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, "")}${webhookPath}`;
}

/** Only what is needed to trust the rest to the Bot API's types. */
const updateEnvelope = z.looseObject({ update_id: z.number().int().nonnegative() });

export interface WebhookDeps {
  token: string;
  log: Logger;
  /** The running handler; undefined before start and after stop (→ 503, Telegram retries). */
  handler(): UpdateHandler | undefined;
  onUpdateHandled(
    updateId: number,
    outcome: UpdateOutcome | { kind: "failed"; reason: string },
  ): void;
}

/**
 * `POST /telegram/webhook`:
 * - 401 unless `X-Telegram-Bot-Api-Secret-Token` is the secret (constant-time compare);
 * - 503 before the adapter started or after it stopped;
 * - 400 when the body is not an update (Telegram never sends one; a wrong caller learns);
 * - 200 (empty body) once the update is stored, before its turn runs, so a slow turn never
 *   makes Telegram resend; 503 when it could not be stored (Telegram resends it later).
 * Updates of one chat are handled in arrival order (Telegram also sends them one at a time).
 */
export function webhookRouter(deps: WebhookDeps): Router {
  const expected = digest(webhookSecret(deps.token));
  const queue = new KeyedQueue<string>();
  const router = Router();

  router.post(webhookPath, async (req, res) => {
    const given = req.get(secretHeader);
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      res.status(401).json({ error: "unauthorized" });
      return;
    }
    const handler = deps.handler();
    if (!handler) {
      res.status(503).json({ error: "not_ready" });
      return;
    }
    const parsed = updateEnvelope.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({
        error: "invalid_body",
        field: "update_id",
        message: "expected a Telegram update with a numeric update_id",
      });
      return;
    }
    const prepared = handler.prepare(parsed.data as unknown as Update);
    try {
      const outcome = await queue.run(prepared.chatKey, () => handler.handle(prepared));
      deps.onUpdateHandled(prepared.updateId, outcome);
      res.status(200).end();
    } catch (error) {
      const unavailable = unavailableCode(error);
      const reason = unavailable
        ? `database ${describeUnavailable(unavailable)}`
        : describeError(error, deps.token);
      deps.log.warn({ updateId: prepared.updateId, reason }, "telegram update not stored; 503");
      deps.onUpdateHandled(prepared.updateId, { kind: "failed", reason });
      res.status(503).json({ error: "unavailable" });
    }
  });
  return router;
}

/** Equal-length digests, so the compare takes the same time whatever was sent. */
function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
