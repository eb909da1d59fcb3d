import { join } from "node:path";
import type { Db } from "../../db/client.js";
import { storeMedia } from "../../domain/media.js";
import type { Logger } from "../../log.js";
import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelLimits,
  ChannelState,
  Receive,
  SendResult,
} from "../adapter.js";
import type { OutboundMessage } from "../contract.js";
import { isPersonalChatId } from "./chat-id.js";
import {
  createChromiumClient,
  type WhatsAppClientLike,
  type WhatsAppClientSettings,
} from "./client.js";
import { InboundDispatcher } from "./dispatcher.js";
import { formatPairingCode, qrAsDataUrl, qrForTerminal } from "./qr.js";
import { sendText } from "./send.js";
import { WhatsAppSession } from "./session.js";
import { realTimers, type Timers } from "./timers.js";
import { defaultTiming, type WhatsAppTiming } from "./timing.js";

export interface WhatsAppAdapterOptions {
  db: Db;
  log: Logger;
  clock: () => Date;
  /** DATA_DIR: the session (a Chromium profile) is kept in `<dataDir>/whatsapp`. */
  dataDir: string;
  chromiumPath: string;
  /** This process's name in the `leases` table; unique per process (see processHolderId). */
  holderId: string;
  /** Builds the whatsapp-web.js client; tests pass a fake. */
  createClient?: (settings: WhatsAppClientSettings) => WhatsAppClientLike;
  /** E.164: pair by a code WhatsApp shows for this number, besides the QR code. */
  pairingNumber?: string;
  /** Pacing for delivery (WHATSAPP_MIN_GAP, WHATSAPP_JITTER, WHATSAPP_DAILY_CAP). */
  limits?: Partial<Pick<ChannelLimits, "minGapMs" | "jitterMs" | "dailyCap">>;
  timers?: Timers;
  timing?: Partial<WhatsAppTiming>;
  /** Where the QR code is printed for the operator; stdout by default. */
  output?: (text: string) => void;
}

export interface WhatsAppAdapter extends ChannelAdapter {
  readonly channel: "whatsapp";
  /** The QR code to scan as a PNG data URL, while status() is "qr". */
  pairingQrDataUrl(): Promise<string | undefined>;
  /** The 8-character pairing code, when pairing by phone number. */
  pairingCode(): string | undefined;
  /** Calls `listener` on every state change; returns the unsubscribe function. */
  onStatus(listener: (state: ChannelState) => void): () => void;
  /** Resolves once every message received so far has been handed to the pipeline. */
  settled(): Promise<void>;
  /** Logs the number out and starts again with a new QR code; false when not held here. */
  repair(): Promise<boolean>;
}

/** WhatsApp Web shows no buttons any more (numbered text only); one message at a time, slowly. */
export const whatsappMaxTextLength = 4000;

/**
 * The WhatsApp channel (DESIGN.md invariant 4) over whatsapp-web.js: an unofficial client that
 * drives WhatsApp Web in Chromium. One process holds the session (a lease in the database); it
 * hands residents' messages to the pipeline, in order per chat, and sends numbered text.
 */
export function createWhatsAppAdapter(options: WhatsAppAdapterOptions): WhatsAppAdapter {
  const { db, log, clock } = options;
  const timers = options.timers ?? realTimers;
  const timing: WhatsAppTiming = { ...defaultTiming, ...options.timing };
  const output = options.output ?? ((text: string) => void process.stdout.write(text));
  const buildClient = options.createClient ?? createChromiumClient;
  const settings: WhatsAppClientSettings = {
    sessionPath: join(options.dataDir, "whatsapp"),
    chromiumPath: options.chromiumPath,
  };

  const capabilities: ChannelCapabilities = {
    buttons: false,
    maxTextLength: whatsappMaxTextLength,
    limits: {
      perSecond: 1,
      perChatGapMs: 1000,
      minGapMs: options.limits?.minGapMs ?? 3000,
      jitterMs: options.limits?.jitterMs ?? 2000,
      dailyCap: options.limits?.dailyCap === undefined ? 200 : options.limits.dailyCap,
    },
  };

  const dispatcher = new InboundDispatcher({
    log,
    clock,
    timers,
    retryMs: timing.receiveRetryMs,
    savePhoto: (bytes, mimeType) => storeMedia(db, { bytes, mimeType, now: clock() }),
  });

  const session = new WhatsAppSession({
    db,
    log,
    clock,
    holderId: options.holderId,
    createClient: () => buildClient(settings),
    ...(options.pairingNumber ? { pairingNumber: options.pairingNumber } : {}),
    timers,
    timing,
    showQr: (qr) => {
      qrForTerminal(qr).then(
        (art) =>
          output(
            `\nWhatsApp: pindai kode QR ini dengan HP nomor Berdaya (WhatsApp → Perangkat tertaut → Tautkan perangkat), atau buka /whatsapp/pairing\n${art}\n`,
          ),
        (error: unknown) => log.warn({ err: error }, "could not draw the WhatsApp QR code"),
      );
    },
    showCode: (code) =>
      output(
        `\nWhatsApp: kode penautan ${formatPairingCode(code)} (WhatsApp → Perangkat tertaut → Tautkan perangkat → Tautkan dengan nomor telepon saja)\n`,
      ),
    onMessage: (message) => dispatcher.dispatch(message),
  });

  let qrImage: { qr: string; url: string } | undefined;

  return {
    channel: "whatsapp",
    capabilities,

    async send(address: string, message: OutboundMessage): Promise<SendResult> {
      try {
        if (!isPersonalChatId(address)) {
          return { kind: "invalid", reason: "alamat WhatsApp tidak valid" };
        }
        const client = session.readyClient();
        if (!client) {
          return {
            kind: "retry",
            afterMs: timing.notReadyRetryMs,
            reason: "WhatsApp belum tersambung",
          };
        }
        return await sendText(client, address, message, {
          maxTextLength: whatsappMaxTextLength,
          timers,
          timeoutMs: timing.sendTimeoutMs,
          isReady: () => session.readyClient() !== undefined,
          notReadyRetryMs: timing.notReadyRetryMs,
          errorRetryMs: timing.sendErrorRetryMs,
        });
      } catch (error) {
        log.error({ err: error }, "WhatsApp send failed unexpectedly");
        return { kind: "retry", afterMs: timing.sendErrorRetryMs, reason: "kesalahan tak terduga" };
      }
    },

    async start(receive: Receive): Promise<void> {
      dispatcher.open(receive);
      await session.start();
    },

    async stop(): Promise<void> {
      await dispatcher.close();
      await session.stop();
    },

    status: () => session.status(),
    onStatus: (listener) => session.onStatus(listener),
    pairingCode: () => session.pairingCode(),

    async pairingQrDataUrl(): Promise<string | undefined> {
      const qr = session.pairingQr();
      if (!qr) return undefined;
      if (qrImage?.qr !== qr) qrImage = { qr, url: await qrAsDataUrl(qr) };
      return qrImage.url;
    },

    settled: () => dispatcher.settled(),
    repair: () => session.repair(),
  };
}
