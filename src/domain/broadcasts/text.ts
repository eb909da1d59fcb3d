import { z } from "zod";

/** Added by the engine under every announcement, never typed by staff (BERHENTI stops them). */
export const stopLine = "\n\nKetik BERHENTI jika tidak ingin menerima pengumuman lagi.";

/**
 * What staff may write in an announcement, filled per resident at fan-out:
 * `{nama}` → the resident's name, or "Bapak/Ibu" when unknown;
 * `{kelurahan}` → the name of the resident's kelurahan, or "-" when unknown.
 */
export const placeholders = ["nama", "kelurahan"] as const;

/** `{word}` in staff text: a placeholder, known or (a typo) unknown. */
const placeholderPattern = /\{([^{}\s]*)\}/g;

/**
 * Longest staff text accepted. Telegram takes 4,096 characters per message and the adapters
 * split longer ones, but an announcement should fit one phone screen (BAHASA.md: ~600).
 */
export const maxTextLength = 2000;

/** Placeholders in `text` that are not in {@link placeholders}, e.g. a typo like `{nma}`. */
export function unknownPlaceholders(text: string): string[] {
  const known: readonly string[] = placeholders;
  const found = [...text.matchAll(placeholderPattern)].map((match) => match[1] ?? "");
  return [...new Set(found.filter((name) => !known.includes(name)))];
}

/** The staff text of an announcement, checked; errors in Indonesian, for the console. */
export const broadcastTextSchema = z
  .string()
  .trim()
  .min(1, "Isi pengumuman tidak boleh kosong")
  .max(maxTextLength, `Isi pengumuman paling banyak ${maxTextLength} karakter`)
  .superRefine((text, context) => {
    const unknown = unknownPlaceholders(text);
    if (unknown.length > 0) {
      context.addIssue({
        code: "custom",
        message: `Kata pengganti tidak dikenal: ${unknown.map((name) => `{${name}}`).join(", ")}. Yang bisa dipakai: {nama}, {kelurahan}`,
      });
    }
  });

/** The text as the engine sends it: the staff text and the stop line; placeholders still in. */
export function templateOf(text: string): string {
  return `${text}${stopLine}`;
}

/**
 * The text one resident receives, for previews: the stop line added, `{kelurahan}` and then
 * `{nama}` filled as the fan-out fills them in SQL (see fan-out.ts).
 */
export function personalise(
  text: string,
  resident: { name: string | null; kelurahan: string | null },
): string {
  return templateOf(text)
    .replaceAll("{kelurahan}", resident.kelurahan ?? "-")
    .replaceAll("{nama}", resident.name?.trim() || "Bapak/Ibu");
}
