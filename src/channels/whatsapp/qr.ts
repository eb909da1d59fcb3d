import QRCode from "qrcode";

/** The QR code as text for a terminal (two rows per line, so it fits a small window). */
export function qrForTerminal(qr: string): Promise<string> {
  return QRCode.toString(qr, { type: "terminal", small: true });
}

/** The QR code as a PNG data URL for <img src>. */
export function qrAsDataUrl(qr: string): Promise<string> {
  return QRCode.toDataURL(qr, {
    type: "image/png",
    errorCorrectionLevel: "M",
    margin: 2,
    width: 320,
  });
}

/** "ABCD1234" → "ABCD-1234", as WhatsApp shows a pairing code. */
export function formatPairingCode(code: string): string {
  const bare = code.replace(/[^0-9A-Za-z]/g, "").toUpperCase();
  return bare.length === 8 ? `${bare.slice(0, 4)}-${bare.slice(4)}` : bare;
}
