import type { Api } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../../log.js";
import type { Receive } from "../adapter.js";
import { describeError } from "./errors.js";
import { type IgnoreReason, planUpdate, type UpdatePlan } from "./inbound.js";
import { type MediaDeps, resolveContent } from "./media.js";
import { setReachability } from "./reachability.js";
import { timeoutSignal } from "./signal.js";

/** An update with its plan; `chatKey` orders the updates of one chat. */
export interface PreparedUpdate {
  updateId: number;
  chatKey: string;
  plan: UpdatePlan;
}

export type UpdateOutcome =
  | { kind: "received" }
  | { kind: "ignored"; reason: IgnoreReason }
  | { kind: "reachability"; reachable: boolean };

export interface UpdateHandlerDeps extends MediaDeps {
  api: Api;
  log: Logger;
  receive: Receive;
}

export interface UpdateHandler {
  prepare(update: Update): PreparedUpdate;
  /**
   * Does what the plan says. Resolves once the message is stored (`receive` resolved) or the
   * change recorded; rejects when it was not, and then the update must come again (polling does
   * not confirm it, the webhook answers 503).
   */
  handle(prepared: PreparedUpdate): Promise<UpdateOutcome>;
}

export function createUpdateHandler(deps: UpdateHandlerDeps): UpdateHandler {
  async function answerButton(callbackQueryId: string | undefined): Promise<void> {
    if (callbackQueryId === undefined) return;
    try {
      await deps.api.answerCallbackQuery(callbackQueryId, undefined, timeoutSignal(deps.timeoutMs));
    } catch (error) {
      // Only the button's spinner depends on it (and a redelivered press is "too old").
      deps.log.debug({ reason: describeError(error, deps.token) }, "answerCallbackQuery failed");
    }
  }

  return {
    prepare(update) {
      let plan: UpdatePlan;
      try {
        plan = planUpdate(update, { now: deps.clock(), maxPhotoBytes: deps.maxBytes });
      } catch (error) {
        // A shape the Bot API types did not foresee: skip it rather than stop every chat.
        deps.log.warn(
          { updateId: update.update_id, reason: describeError(error, deps.token) },
          "telegram update not understood; ignored",
        );
        plan = { kind: "ignore", reason: "unsupported" };
      }
      return {
        updateId: update.update_id,
        chatKey: plan.chatId ?? `update:${update.update_id}`,
        plan,
      };
    },

    async handle({ plan }) {
      switch (plan.kind) {
        case "ignore":
          await answerButton(plan.callbackQueryId);
          return { kind: "ignored", reason: plan.reason };
        case "reachability":
          await setReachability(deps.db, {
            chatId: plan.chatId,
            reachable: plan.reachable,
            now: deps.clock(),
          });
          return { kind: "reachability", reachable: plan.reachable };
        case "message": {
          const stored = (async () => {
            const content = await resolveContent(deps, plan.message.content);
            await deps.receive({ ...plan.message, content });
          })();
          await Promise.all([stored, answerButton(plan.callbackQueryId)]);
          return { kind: "received" };
        }
      }
    },
  };
}
