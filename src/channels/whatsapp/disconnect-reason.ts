/** Reasons shown in status() and on the pairing page, in Indonesian. */
export const heldElsewhereReason = "sesi WhatsApp dipegang proses lain";
export const rescanReason = "perlu pindai ulang";

/**
 * Why a client was given up: what whatsapp-web.js's `disconnected` event said (a WAState such
 * as CONFLICT or UNPAIRED, or "LOGOUT") or one of Berdaya's own reasons.
 */
export type DisconnectReason =
  | "auth_failure"
  | "browser_unresponsive"
  | "start_failed"
  | "start_stalled"
  | (string & {});

/** The phone unlinked Berdaya (or the saved session is gone): someone must scan again. */
const needsRescan = new Set(["LOGOUT", "UNPAIRED", "UNPAIRED_IDLE", "auth_failure"]);
/** WhatsApp banned the number. */
const blocked = new Set(["TOS_BLOCK", "SMB_TOS_BLOCK"]);
const statusTexts: Record<string, string> = {
  browser_unresponsive: "browser tidak menjawab",
  start_failed: "gagal membuka WhatsApp Web (periksa Chromium)",
  start_stalled: "WhatsApp Web tidak selesai dibuka",
  CONFLICT: "WhatsApp Web dibuka di tempat lain",
};

export interface DescribedDisconnect {
  /** For status(). */
  status: string;
  /** An operator must act: logged as an error with this text. */
  alert?: string;
}

export function describeDisconnect(reason: DisconnectReason): DescribedDisconnect {
  if (needsRescan.has(reason)) {
    return {
      status: rescanReason,
      alert: "WhatsApp logged out: scan the QR code again at /whatsapp/pairing",
    };
  }
  if (blocked.has(reason)) {
    return {
      status: "nomor diblokir WhatsApp",
      alert: "WhatsApp blocked this number; Berdaya cannot use it any more",
    };
  }
  return { status: statusTexts[reason] ?? `koneksi terputus (${reason})` };
}
