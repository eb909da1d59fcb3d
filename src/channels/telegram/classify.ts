import { GrammyError } from "grammy";
import type { SendResult } from "../adapter.js";
import { describeError } from "./errors.js";

/** How long to wait after a 5xx, a network error or a timeout. */
export const transientRetryMs = 5_000;
/** How long to wait when the token is refused (401/404): the operator has to fix it. */
export const unauthorizedRetryMs = 60_000;

/**
 * Classifies a failed `sendMessage` (DESIGN.md invariant 4):
 * - 429 → retry after `parameters.retry_after` seconds (5 s when absent);
 * - 403 (blocked by the user, user deactivated, kicked) → unreachable;
 * - 400 "chat not found" / PEER_ID_INVALID → unreachable (the address is gone);
 * - 401 / 404 (the token is wrong or revoked) → retry in a minute: the message is fine, the
 *   bot's credentials are not; invalid would dead-letter every message until the restart;
 * - any other 4xx → invalid (retrying the same request will not help);
 * - 5xx, network errors, timeouts, anything else → retry after 5 s.
 */
export function classifySendError(error: unknown, token: string): SendResult {
  const reason = describeError(error, token);
  if (!(error instanceof GrammyError)) {
    return { kind: "retry", afterMs: transientRetryMs, reason };
  }
  const code = error.error_code;
  if (code === 429) {
    const seconds = error.parameters.retry_after;
    const afterMs = typeof seconds === "number" && seconds >= 0 ? seconds * 1000 : transientRetryMs;
    return { kind: "retry", afterMs, reason };
  }
  if (code === 403) return { kind: "unreachable", reason };
  if (code === 400 && /chat not found|peer_id_invalid/i.test(error.description)) {
    return { kind: "unreachable", reason };
  }
  if (code === 401 || code === 404) return { kind: "retry", afterMs: unauthorizedRetryMs, reason };
  if (code >= 400 && code < 500) return { kind: "invalid", reason };
  return { kind: "retry", afterMs: transientRetryMs, reason };
}
