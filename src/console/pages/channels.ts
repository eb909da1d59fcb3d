import { Router } from "express";
import type { ChannelAdapter, ChannelState } from "../../channels/adapter.js";
import type { WhatsAppAdapter } from "../../channels/whatsapp/adapter.js";
import { pairingBody } from "../../channels/whatsapp/pairing-page.js";
import { recordAudit } from "../../staff/audit.js";
import { isAdmin } from "../../staff/principal.js";
import type { ConsoleDeps } from "../deps.js";
import { html, SafeHtml } from "../html.js";
import { csrfField, errorPage, renderPage } from "../layout.js";
import { redirectWithNotice } from "../notice.js";
import { requireAdmin, staffOf } from "../session.js";

const isWhatsApp = (adapter: ChannelAdapter | undefined): adapter is WhatsAppAdapter =>
  adapter?.channel === "whatsapp" && "repair" in adapter;

const telegramMode = (adapter: ChannelAdapter): string | undefined =>
  "mode" in adapter && typeof adapter.mode === "string" ? adapter.mode : undefined;

const stateLabels: Readonly<Record<ChannelState["state"], string>> = {
  off: "Tidak aktif",
  starting: "Sedang dinyalakan",
  qr: "Menunggu ditautkan",
  authenticated: "Kode diterima, memuat",
  ready: "Tersambung",
  disconnected: "Terputus",
};

function stateText(state: ChannelState): string {
  return state.state === "disconnected"
    ? `${stateLabels.disconnected}: ${state.reason}`
    : stateLabels[state.state];
}

/**
 * Saluran: the state of each channel. The WhatsApp QR and pairing code (whoever scans them links
 * their phone to Berdaya's number) and re-pairing are for administrators; staff see the state.
 */
export function channelRoutes(deps: ConsoleDeps): Router {
  const router = Router();

  router.get("/console/saluran", async (_req, res) => {
    const admin = isAdmin(staffOf(res));
    const whatsapp = deps.channels.get("whatsapp");
    const telegram = deps.channels.get("telegram");
    let whatsappSection: SafeHtml;
    let waiting = false;
    if (isWhatsApp(whatsapp)) {
      const state = whatsapp.status();
      waiting = state.state !== "ready";
      const qrDataUrl =
        admin && state.state === "qr" ? await whatsapp.pairingQrDataUrl() : undefined;
      const pairingCode = admin && state.state === "qr" ? whatsapp.pairingCode() : undefined;
      // pairingBody escapes what it shows; it is the same markup as /whatsapp/pairing.
      const pairing = new SafeHtml(
        pairingBody({
          state,
          ...(qrDataUrl ? { qrDataUrl } : {}),
          ...(pairingCode ? { pairingCode } : {}),
        }),
      );
      whatsappSection = html`<p>Status: <strong data-state="${state.state}">${stateText(state)}</strong></p>
<div class="pairing">${pairing}</div>
${
  admin
    ? html`<form method="post" action="/console/saluran/whatsapp/tautkan-ulang" class="inline">${csrfField(res)}
<button type="submit" class="danger">Tautkan ulang WhatsApp</button>
<small>Nomor yang sekarang dilepas dari Berdaya; kode QR baru muncul di sini untuk dipindai.</small></form>`
    : state.state === "qr"
      ? html`<p class="muted">Kode QR hanya ditampilkan kepada administrator.</p>`
      : ""
}`;
    } else {
      whatsappSection = html`<p>Status: <strong>Tidak aktif</strong></p>
<p class="muted">Aktifkan dengan WHATSAPP_ENABLED=true lalu jalankan ulang Berdaya.</p>`;
    }
    const telegramSection = telegram
      ? html`<p>Status: <strong>${stateText(telegram.status())}</strong> · mode ${telegramMode(telegram) === "webhook" ? "webhook" : "polling"}</p>`
      : html`<p>Status: <strong>Tidak aktif</strong></p><p class="muted">Isi TELEGRAM_BOT_TOKEN lalu jalankan ulang Berdaya.</p>`;
    renderPage(res, {
      title: "Saluran",
      active: "saluran",
      scripts: waiting ? ["saluran.js"] : [],
      refreshWithoutScript: waiting ? 5 : undefined,
      body: html`<h2>WhatsApp</h2>
${whatsappSection}
<h2>Telegram</h2>
${telegramSection}
<h2>Simulator</h2>
<p>Status: <strong>${deps.simulatorEnabled ? "Aktif" : "Tidak aktif"}</strong>${deps.simulatorEnabled ? html` · <a href="/simulator">Buka simulator</a>` : ""}</p>`,
    });
  });

  router.post("/console/saluran/whatsapp/tautkan-ulang", requireAdmin, async (_req, res) => {
    const whatsapp = deps.channels.get("whatsapp");
    if (!isWhatsApp(whatsapp)) return errorPage(res, 404, "WhatsApp tidak aktif.");
    const restarted = await whatsapp.repair();
    await recordAudit(deps.db, staffOf(res), {
      action: "channel.whatsapp.repair",
      subjectType: "channel",
      subjectId: "whatsapp",
      details: { restarted },
    });
    redirectWithNotice(
      res,
      "/console/saluran",
      restarted
        ? "WhatsApp dilepas; pindai kode QR baru yang muncul sebentar lagi."
        : "Sesi WhatsApp dipegang proses Berdaya lain; tautkan ulang dari sana.",
    );
  });

  return router;
}
