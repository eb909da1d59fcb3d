/**
 * Phone numbers typed by residents. Only Indonesian mobiles can receive WhatsApp messages, so a
 * Balikpapan fixed line (0542…) is told apart from a mistyped number, and a foreign number is
 * invalid.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/max";

export type PhoneResult =
  | { kind: "mobile"; e164: string }
  | { kind: "fixed_line" }
  | { kind: "invalid" };

/** Indonesian mobile national number (BAHASA.md): 8[1-35-9] followed by 7–10 digits. */
const MOBILE_NATIONAL = /^8[1-35-9]\d{7,10}$/;
/** Words a resident may write around the number ("no hp saya 0812…", "wa: 0812…"). */
const LABEL_WORDS =
  /\b(?:nomor|nomer|no|nmr|hp|wa|whatsapp|telp|telepon|tlp|telpon|saya|sy|ku|nya|adalah|ini)\b/giu;
/** What is left of a phone number once labels are gone: digits, "+", and separators. */
const PHONE_CHARS = /^\+?[\d\s.\-()/]+$/u;
const NON_DIGITS = /\D/g;
/** "62812…" (country code without "+"), "812…" (no trunk 0). */
const COUNTRY_WITHOUT_PLUS = /^62(?=0?8|[2-7])/;

/**
 * Reads a phone number. The "max" metadata of libphonenumber-js is used because it types
 * Indonesian numbers reliably (MOBILE for 08…, FIXED_LINE for 0542…); the "mobile" metadata
 * leaves fixed lines untyped.
 */
export function parsePhone(text: string): PhoneResult {
  const bare = text.normalize("NFKC").replace(LABEL_WORDS, " ").replace(/[:=]/g, " ").trim();
  if (!PHONE_CHARS.test(bare)) return { kind: "invalid" };
  const digits = bare.replace(NON_DIGITS, "");
  const international = bare.startsWith("+")
    ? `+${digits}`
    : COUNTRY_WITHOUT_PLUS.test(digits)
      ? `+${digits}`
      : digits;
  const parsed = parsePhoneNumberFromString(international, "ID");
  if (parsed === undefined || parsed.country !== "ID" || !parsed.isValid())
    return { kind: "invalid" };
  const type = parsed.getType();
  if (type === "MOBILE" && MOBILE_NATIONAL.test(parsed.nationalNumber)) {
    return { kind: "mobile", e164: parsed.number };
  }
  if (type === "FIXED_LINE" || type === "FIXED_LINE_OR_MOBILE") return { kind: "fixed_line" };
  return { kind: "invalid" };
}

const VISIBLE_START = 6;
const VISIBLE_END = 3;

/** A phone number safe for logs: "+6281234567789" → "+62812****789". */
export function redactPhone(e164: string): string {
  if (e164.length <= VISIBLE_START + VISIBLE_END) return "****";
  return `${e164.slice(0, VISIBLE_START)}****${e164.slice(-VISIBLE_END)}`;
}
