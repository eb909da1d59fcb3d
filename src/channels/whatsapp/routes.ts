import { Router } from "express";
import type { ChannelState } from "../adapter.js";
import { pairingStyle, renderPairingPage } from "./pairing-page.js";

/** What the pairing page reads from the adapter. */
export interface PairingSource {
  status(): ChannelState;
  pairingQrDataUrl(): Promise<string | undefined>;
  pairingCode(): string | undefined;
}

/**
 * `GET /whatsapp/pairing`: the page to link Berdaya's WhatsApp number (QR code, pairing code,
 * state). Whoever sees the QR code can link their own phone to the session, so mount it only
 * when WHATSAPP_PAIRING_PAGE=true, behind the staff login once the console has one.
 */
export function whatsappPairingRoutes(source: PairingSource): Router {
  const router = Router();
  router.get("/whatsapp/pairing", async (_req, res, next) => {
    try {
      const state = source.status();
      const qrDataUrl = state.state === "qr" ? await source.pairingQrDataUrl() : undefined;
      const pairingCode = state.state === "qr" ? source.pairingCode() : undefined;
      res
        .type("html")
        .set("Cache-Control", "no-store")
        .send(
          renderPairingPage({
            state,
            ...(qrDataUrl ? { qrDataUrl } : {}),
            ...(pairingCode ? { pairingCode } : {}),
          }),
        );
    } catch (error) {
      next(error);
    }
  });
  router.get("/whatsapp/pairing.css", (_req, res) => {
    res.type("text/css; charset=utf-8").set("Cache-Control", "no-cache").send(pairingStyle);
  });
  return router;
}
