import { mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/**
 * The part of a whatsapp-web.js `Message` Berdaya reads. Real `Message` objects fit it; so do
 * the tests' (real `Message`s built over a fake client).
 */
export interface WhatsAppMessageLike {
  id: { fromMe: boolean; remote: string; id: string; _serialized: string };
  /** The chat id: 62812…@c.us, 1234…@lid, …@g.us, status@broadcast, …@newsletter. */
  from: string;
  to?: string;
  /** chat, image, ptt, audio, location, sticker, video, document, vcard, … */
  type: string;
  body: string;
  /** Unix seconds. */
  timestamp: number;
  fromMe: boolean;
  hasMedia: boolean;
  isStatus?: boolean;
  broadcast?: boolean;
  /** Set in groups: who wrote. */
  author?: string;
  location?: { latitude: number | string; longitude: number | string };
  /** WhatsApp Web's raw message: `notifyName` is the sender's profile name, `size` the media's. */
  _data?: { notifyName?: unknown; size?: unknown };
  downloadMedia(): Promise<WhatsAppMediaLike | undefined>;
}

export interface WhatsAppMediaLike {
  mimetype: string;
  /** Base64. */
  data: string;
}

/** What `sendMessage` resolves with when the message was sent. */
export interface SentMessageLike {
  id: { _serialized: string };
}

/**
 * The part of whatsapp-web.js's `Client` the adapter uses. Events: qr, code, authenticated,
 * auth_failure, ready, disconnected, change_state, message.
 */
export interface WhatsAppClientLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  /** Resolves with nothing when the chat is unknown. */
  sendMessage(chatId: string, content: string): Promise<SentMessageLike | null | undefined>;
  /** Pairing by code instead of QR; `phoneNumber` is digits only, with the country code. */
  requestPairingCode?(phoneNumber: string): Promise<string>;
  /** Unlinks this device from the number and deletes the saved session. */
  logout?(): Promise<void>;
  /** WhatsApp Web's socket state (CONNECTED, OPENING, …); throws when the browser is gone. */
  getState?(): Promise<string | null>;
  /** Set once ready: the linked account. */
  info?: { wid?: { user?: string } };
}

/** What `createClient` is given. */
export interface WhatsAppClientSettings {
  /** Where LocalAuth keeps the session (a Chromium profile): `<DATA_DIR>/whatsapp`. */
  sessionPath: string;
  chromiumPath: string;
}

/**
 * Chromium flags for a headless server, often running as root in a container: no sandbox
 * (root cannot use it), no /dev/shm (small in Docker), no GPU, and none of Chromium's own
 * background traffic.
 */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-setuid-sandbox",
  "--disable-dev-shm-usage",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
] as const;

/** Files Chromium leaves in a profile to say it is in use. */
const profileLocks = ["SingletonLock", "SingletonSocket", "SingletonCookie"];

/**
 * The real client: whatsapp-web.js driving Debian's Chromium, headless, with the session kept by
 * LocalAuth under `sessionPath`, next to WhatsApp Web's cached page. whatsapp-web.js (and
 * puppeteer) load on first use, so Berdaya without WhatsApp never loads them.
 *
 * A Chromium killed with the process leaves its profile lock behind, and a restarted
 * container may reuse the pid, so Chromium would refuse the profile; the lease in the database
 * guarantees no other Berdaya process uses it, so the lock is removed before launching.
 */
export function createChromiumClient(settings: WhatsAppClientSettings): WhatsAppClientLike {
  const require = createRequire(import.meta.url);
  const { Client, LocalAuth } = require("whatsapp-web.js") as typeof import("whatsapp-web.js");
  // The session gives access to the WhatsApp account: readable by this user only.
  mkdirSync(settings.sessionPath, { recursive: true, mode: 0o700 });
  const profile = join(settings.sessionPath, "session");
  for (const lock of profileLocks) rmSync(join(profile, lock), { force: true });
  return new Client({
    authStrategy: new LocalAuth({ dataPath: settings.sessionPath }),
    // WhatsApp Web's page is cached here, not in ./.wwebjs_cache of the working directory.
    webVersionCache: { type: "local", path: join(settings.sessionPath, "web-cache") },
    puppeteer: {
      executablePath: settings.chromiumPath,
      headless: true,
      args: [...chromiumArgs],
    },
  });
}
