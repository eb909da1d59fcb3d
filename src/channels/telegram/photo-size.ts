import type { PhotoSize } from "grammy/types";

/**
 * The largest size of a photo that fits `maxBytes`. Telegram sends each photo in several
 * sizes, usually with `file_size`; a size without it is judged by its pixels (the download
 * still enforces the cap). Undefined when every size is too large.
 */
export function pickPhotoSize(
  sizes: readonly PhotoSize[],
  maxBytes: number,
): PhotoSize | undefined {
  let best: PhotoSize | undefined;
  for (const size of sizes) {
    if (size.file_size !== undefined && size.file_size > maxBytes) continue;
    if (!best || isBigger(size, best)) best = size;
  }
  return best;
}

function isBigger(a: PhotoSize, b: PhotoSize): boolean {
  if (a.file_size !== undefined && b.file_size !== undefined && a.file_size !== b.file_size) {
    return a.file_size > b.file_size;
  }
  return a.width * a.height > b.width * b.height;
}
