import { GrammyError, HttpError } from "grammy";

/**
 * A one-line description of a failed Bot API call that is safe to log and to store: never the
 * token (fetch errors quote the request URL, which holds it), never a message text.
 */
export function describeError(error: unknown, token: string): string {
  return redactToken(rawDescription(error), token);
}

function rawDescription(error: unknown): string {
  if (error instanceof GrammyError) {
    return `${error.method}: ${error.error_code} ${error.description}`;
  }
  if (error instanceof HttpError) {
    // grammY's own message names the method but not the URL; the cause is only named by code.
    return `${error.message}${causeCode(error.error)}`;
  }
  if (error instanceof Error) return `${error.name}${causeCode(error)}`;
  return "unknown error";
}

/**
 * The code of an error or of its cause ("ECONNREFUSED", "system", "AbortError"), never its
 * message: messages of fetch and database errors may quote URLs or query parameters.
 */
function causeCode(error: unknown): string {
  for (let current = error, depth = 0; depth < 3; depth++) {
    if (typeof current !== "object" || current === null) return "";
    const record = current as { code?: unknown; type?: unknown; cause?: unknown };
    for (const value of [record.code, record.type]) {
      if (typeof value === "string" && /^[\w.-]{1,40}$/.test(value)) return ` (${value})`;
    }
    current = record.cause;
  }
  return "";
}

export function redactToken(text: string, token: string): string {
  return token === "" ? text : text.replaceAll(token, "[token]");
}

/** True when Telegram rejected the token itself: nothing works until the operator fixes it. */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404);
}
