import type { ChannelState } from "../adapter.js";
import { formatPairingCode } from "./qr.js";

export interface PairingView {
  state: ChannelState;
  /** The current QR code as a PNG data URL, while waiting for a scan. */
  qrDataUrl?: string;
  /** The pairing code, when Berdaya pairs by phone number instead of QR. */
  pairingCode?: string;
}

const entities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => entities[character] ?? character);
}

/**
 * The page staff open to link Berdaya's WhatsApp number: the connection state, the QR code
 * (or the pairing code), or "Tersambung". Static markup, no script (the CSP forbids inline
 * script); the page reloads itself every few seconds while the session is not ready.
 */
export function renderPairingPage(view: PairingView): string {
  const { state } = view;
  const refresh = state.state === "ready" ? 30 : 5;
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="${refresh}">
<title>Sambungkan WhatsApp — Berdaya</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/whatsapp/pairing.css">
</head>
<body>
<main>
<h1>WhatsApp Berdaya</h1>
${pairingBody(view)}
</main>
</body>
</html>
`;
}

/** The state and the QR or pairing code, as markup (escaped); the console's Saluran page shows it too. */
export function pairingBody(view: PairingView): string {
  const { state } = view;
  switch (state.state) {
    case "ready":
      return `<p class="status status-ready" role="status">Tersambung</p>
<p>Berdaya sudah tersambung ke WhatsApp dan menerima pesan warga. Halaman ini boleh ditutup.</p>`;
    case "authenticated":
      return `<p class="status" role="status">Kode diterima, memuat percakapan…</p>
<p>Tunggu sebentar; halaman ini memuat ulang sendiri.</p>`;
    case "qr":
      return pairingInstructions(view);
    case "starting":
      return `<p class="status" role="status">Menyiapkan WhatsApp…</p>
<p>Browser WhatsApp sedang dibuka. Kode QR muncul di sini dalam beberapa detik.</p>`;
    case "disconnected":
      return `<p class="status status-problem" role="status">Terputus: ${escapeHtml(state.reason)}</p>
<p>Berdaya mencoba menyambung lagi sendiri. Bila diminta memindai ulang, kode QR muncul di sini.</p>`;
    case "off":
      return `<p class="status" role="status">WhatsApp tidak aktif</p>
<p>Aktifkan dengan WHATSAPP_ENABLED=true lalu jalankan ulang Berdaya.</p>`;
  }
}

function pairingInstructions(view: PairingView): string {
  const code = view.pairingCode
    ? `<section>
<h2>Masukkan kode ini di HP</h2>
<p class="code">${escapeHtml(formatPairingCode(view.pairingCode))}</p>
<p>Di WhatsApp: <strong>Perangkat tertaut</strong> → <strong>Tautkan perangkat</strong> →
<strong>Tautkan dengan nomor telepon saja</strong>, lalu ketik kode di atas.</p>
</section>`
    : "";
  const qr = view.qrDataUrl
    ? `<section>
<h2>${view.pairingCode ? "Atau pindai kode QR" : "Pindai kode QR"}</h2>
<img class="qr" src="${escapeHtml(view.qrDataUrl)}" alt="Kode QR untuk menautkan WhatsApp" width="320" height="320">
<p>Di HP yang nomornya dipakai Berdaya: buka WhatsApp → <strong>Setelan</strong> (atau ⋮) →
<strong>Perangkat tertaut</strong> → <strong>Tautkan perangkat</strong>, lalu arahkan kamera ke kode ini.</p>
</section>`
    : "";
  return `<p class="status" role="status">Menunggu ditautkan</p>
${code}
${qr}
<p class="hint">Kode berganti sendiri setiap beberapa puluh detik; halaman ini memuat ulang setiap 5 detik.</p>`;
}

export const pairingStyle = `body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f5;color:#1b1f1d}
main{max-width:34rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.75rem}
h1{font-size:1.4rem;margin-top:0}h2{font-size:1.1rem}
.status{font-size:1.2rem;font-weight:600}.status-ready{color:#0b7a3e}.status-problem{color:#a4262c}
.qr{display:block;width:100%;max-width:320px;height:auto;margin:1rem auto;image-rendering:pixelated}
.code{font:700 2rem/1.2 ui-monospace,monospace;letter-spacing:.15em;text-align:center}
.hint{color:#555;font-size:.9rem}
`;
