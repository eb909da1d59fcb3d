import { setTimeout as delay } from "node:timers/promises";
import { type Api, GrammyError } from "grammy";
import type { Update } from "grammy/types";
import { isDatabaseUnavailable } from "../../db/unavailable.js";
import type { Logger } from "../../log.js";
import { describeError, isUnauthorized } from "./errors.js";
import type { PreparedUpdate, UpdateHandler, UpdateOutcome } from "./handle-update.js";
import { allowedUpdates } from "./inbound.js";
import { grammySignal, timeoutSignal } from "./signal.js";

export interface PollingDeps {
  api: Api;
  token: string;
  log: Logger;
  handler: UpdateHandler;
  /** Long-polling timeout of one getUpdates call, in seconds (Telegram: up to 50). */
  timeoutSeconds: number;
  /** Wait before the `attempt`-th retry (1, 2, …) after a failed getUpdates or batch. */
  retryDelayMs: (attempt: number) => number;
  /** A batch where this update failed this many times while others went through: skip it. */
  maxAttemptsPerUpdate: number;
  /** getUpdates answered: the connection works. */
  onConnected(): void;
  /** getUpdates failed `attempt` times in a row (`error` is what it threw). */
  onConnectionError(error: unknown, attempt: number): void;
  /** Polling ended by itself: the token was refused, or a bug. Not called on `stop()`. */
  onStopped(error: unknown): void;
  onUpdateHandled(
    updateId: number,
    outcome: UpdateOutcome | { kind: "failed"; reason: string },
  ): void;
}

export interface Polling {
  /** Stops after the batch in hand is stored, confirms it to Telegram, resolves when done. */
  stop(): Promise<void>;
}

/**
 * Long polling with our own getUpdates loop rather than grammY's `bot.start()`, because an
 * update must be confirmed (the next call's `offset`) only once it is stored: `bot.start()`
 * confirms an update whose handler threw, so a database outage would lose messages. Updates of
 * one chat are handled one after the other, in update order; different chats concurrently.
 * When an update fails, it and the later updates of its chat are left unconfirmed and come
 * again after a pause; the offset never passes an update that was not stored.
 */
export function startPolling(deps: PollingDeps): Polling {
  const controller = new AbortController();
  const signal = controller.signal;
  const attempts = new Map<number, number>();
  const skipped = new Set<number>();
  let offset: number | undefined;

  async function pause(attempt: number, atLeastMs = 0): Promise<void> {
    try {
      await delay(Math.max(atLeastMs, deps.retryDelayMs(attempt)), undefined, { signal });
    } catch {
      // stopped
    }
  }

  async function fetchUpdates(): Promise<Update[] | undefined> {
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        const updates = await deps.api.getUpdates(
          {
            ...(offset === undefined ? {} : { offset }),
            timeout: deps.timeoutSeconds,
            allowed_updates: [...allowedUpdates],
          },
          grammySignal(signal),
        );
        deps.onConnected();
        return updates;
      } catch (error) {
        if (signal.aborted) return undefined;
        // A refused token will not fix itself: stop, and say so.
        if (isUnauthorized(error)) throw error;
        deps.onConnectionError(error, attempt);
        const retryAfter =
          error instanceof GrammyError ? (error.parameters.retry_after ?? 0) * 1000 : 0;
        await pause(attempt, retryAfter);
      }
    }
    return undefined;
  }

  async function handleOne(prepared: PreparedUpdate): Promise<"handled" | "skipped" | "failed"> {
    if (skipped.has(prepared.updateId)) return "skipped";
    try {
      const outcome = await deps.handler.handle(prepared);
      attempts.delete(prepared.updateId);
      deps.onUpdateHandled(prepared.updateId, outcome);
      return "handled";
    } catch (error) {
      const reason = describeError(error, deps.token);
      // Only a failure of this update counts towards giving it up; a database that cannot
      // store anything now (down, disk full) may still let smaller updates through.
      if (!isDatabaseUnavailable(error)) {
        attempts.set(prepared.updateId, (attempts.get(prepared.updateId) ?? 0) + 1);
      }
      deps.log.warn({ updateId: prepared.updateId, reason }, "telegram update not stored yet");
      deps.onUpdateHandled(prepared.updateId, { kind: "failed", reason });
      return "failed";
    }
  }

  /** Handles a batch; returns the update ids left unhandled (to come again). */
  async function handleBatch(updates: Update[]): Promise<{ unhandled: number[]; handled: number }> {
    const chats = new Map<string, PreparedUpdate[]>();
    for (const update of [...updates].sort((a, b) => a.update_id - b.update_id)) {
      const prepared = deps.handler.prepare(update);
      chats.set(prepared.chatKey, [...(chats.get(prepared.chatKey) ?? []), prepared]);
    }
    const unhandled: number[] = [];
    let handled = 0;
    await Promise.all(
      [...chats.values()].map(async (queue) => {
        for (const [index, prepared] of queue.entries()) {
          const result = await handleOne(prepared);
          if (result === "handled") handled++;
          if (result !== "failed") continue;
          // Keep the chat's order: its later updates wait for this one.
          unhandled.push(...queue.slice(index).map((later) => later.updateId));
          return;
        }
      }),
    );
    return { unhandled, handled };
  }

  /** An update that keeps failing while others are stored is a poison pill: give it up. */
  function skipPoisonPills(unhandled: number[], handled: number): number[] {
    if (handled === 0) return unhandled;
    const poison = unhandled.filter((id) => (attempts.get(id) ?? 0) >= deps.maxAttemptsPerUpdate);
    for (const id of poison) {
      deps.log.error(
        { updateId: id, attempts: attempts.get(id) },
        "telegram update failed again and again while others were stored; skipping it",
      );
      attempts.delete(id);
      skipped.add(id);
    }
    return unhandled.filter((id) => !skipped.has(id));
  }

  async function loop(): Promise<void> {
    let failedBatches = 0;
    while (!signal.aborted) {
      const updates = await fetchUpdates();
      if (updates === undefined) return;
      if (updates.length === 0) continue;
      const batch = await handleBatch(updates);
      const unhandled = skipPoisonPills(batch.unhandled, batch.handled);
      const last = Math.max(...updates.map((update) => update.update_id));
      offset = unhandled.length > 0 ? Math.min(...unhandled) : last + 1;
      for (const id of skipped) if (id < offset) skipped.delete(id);
      if (unhandled.length === 0) {
        failedBatches = 0;
        continue;
      }
      failedBatches++;
      await pause(failedBatches);
    }
  }

  const running = loop().catch((error: unknown) => deps.onStopped(error));

  return {
    async stop() {
      controller.abort();
      await running;
      if (offset === undefined) return;
      try {
        // Confirms what was stored; an update this call returns is not confirmed by it.
        await deps.api.getUpdates({ offset, limit: 1, timeout: 0 }, timeoutSignal(5_000));
      } catch (error) {
        deps.log.debug({ reason: describeError(error, deps.token) }, "final getUpdates failed");
      }
    },
  };
}
