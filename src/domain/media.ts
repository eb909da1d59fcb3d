import type { Db } from "../db/client.js";
import { mediaFiles } from "../db/schema/index.js";

/** Largest photo kept from a resident (bigger ones are refused by the adapters). */
export const maxMediaBytes = 5 * 1024 * 1024;

/** Stores a photo a resident sent; returns its id for the InboundMessage. */
export async function storeMedia(
  db: Db,
  input: { bytes: Uint8Array; mimeType: string; now: Date },
): Promise<number> {
  if (input.bytes.byteLength > maxMediaBytes) throw new RangeError("media too large");
  const [row] = await db
    .insert(mediaFiles)
    .values({ bytes: input.bytes, mimeType: input.mimeType, createdAt: input.now })
    .returning({ id: mediaFiles.id });
  if (!row) throw new Error("media was not stored");
  return row.id;
}
