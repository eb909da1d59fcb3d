import { type Api, GrammyError } from "grammy";
import type { Db } from "../../db/client.js";
import { storeMedia } from "../../domain/media.js";
import type { InboundContent } from "../contract.js";
import type { DraftContent } from "./inbound.js";
import { timeoutSignal } from "./signal.js";

export interface MediaDeps {
  api: Api;
  token: string;
  /** e.g. https://api.telegram.org; files are at `${apiRoot}/file/bot<token>/<file_path>`. */
  apiRoot: string;
  db: Db;
  clock: () => Date;
  maxBytes: number;
  timeoutMs: number;
}

/**
 * Turns a draft's photo into a stored one: getFile, download (never more than `maxBytes`),
 * storeMedia → `{kind:"photo", mediaId}`. What cannot become a photo however often it is tried
 * (too large, file gone) becomes `{kind:"other"}`; a network or server failure throws, so the
 * update is not confirmed and comes again.
 */
export async function resolveContent(
  deps: MediaDeps,
  content: DraftContent,
): Promise<InboundContent> {
  if (content.kind !== "photo_file") return content;
  const unavailable = (description: string): InboundContent => ({ kind: "other", description });
  if (content.fileSize !== undefined && content.fileSize > deps.maxBytes) {
    return unavailable("photo_too_large");
  }
  let filePath: string | undefined;
  try {
    const file = await deps.api.getFile(content.fileId, timeoutSignal(deps.timeoutMs));
    if (file.file_size !== undefined && file.file_size > deps.maxBytes) {
      return unavailable("photo_too_large");
    }
    filePath = file.file_path;
  } catch (error) {
    // 400: "file is too big" (over the Bot API's own download limit) or a file id gone stale.
    if (error instanceof GrammyError && error.error_code === 400) {
      return unavailable(
        /too big/i.test(error.description) ? "photo_too_large" : "photo_unavailable",
      );
    }
    throw error;
  }
  if (!filePath) return unavailable("photo_unavailable");
  const downloaded = await download(
    `${deps.apiRoot}/file/bot${deps.token}/${filePath}`,
    deps.maxBytes,
    deps.timeoutMs,
  );
  if (downloaded.kind !== "ok") return unavailable(downloaded.kind);
  const mediaId = await storeMedia(deps.db, {
    bytes: downloaded.bytes,
    mimeType: content.mimeType,
    now: deps.clock(),
  });
  return { kind: "photo", mediaId, ...(content.caption ? { caption: content.caption } : {}) };
}

type Download =
  | { kind: "ok"; bytes: Uint8Array }
  | { kind: "photo_too_large" }
  | { kind: "photo_unavailable" };

/** Fetches at most `maxBytes`; errors name no URL (it holds the token). */
async function download(url: string, maxBytes: number, timeoutMs: number): Promise<Download> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new PhotoDownloadError(codeOf(error));
  }
  if (response.status >= 400 && response.status < 500) {
    await response.body?.cancel();
    return { kind: "photo_unavailable" };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new PhotoDownloadError(`HTTP_${response.status}`);
  }
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await response.body.cancel();
    return { kind: "photo_too_large" };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        return { kind: "photo_too_large" };
      }
      chunks.push(value);
    }
  } catch (error) {
    throw new PhotoDownloadError(codeOf(error));
  }
  return { kind: "ok", bytes: Buffer.concat(chunks) };
}

/** A failed photo download; it carries a code only, never the URL (it holds the token). */
export class PhotoDownloadError extends Error {
  override readonly name = "PhotoDownloadError";
  constructor(readonly code: string) {
    super(`photo download failed (${code})`);
  }
}

function codeOf(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const { code, name, cause } = error as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof code === "string") return code;
    const causeCode = (cause as { code?: unknown } | undefined)?.code;
    if (typeof causeCode === "string") return causeCode;
    if (typeof name === "string") return name;
  }
  return "unknown";
}
