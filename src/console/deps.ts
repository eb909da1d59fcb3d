import type { ChannelAdapter } from "../channels/adapter.js";
import type { Db } from "../db/client.js";
import type { FlowSet } from "../engine/loader.js";
import type { Logger } from "../log.js";
import type { LoginThrottle } from "../staff/login-throttle.js";

/** What the console's pages need from the running Berdaya. */
export interface ConsoleDeps {
  readonly db: Db;
  readonly clock: () => Date;
  readonly log: Logger;
  /** Cookies get `Secure` when the public address is https. */
  readonly secureCookies: boolean;
  readonly throttle: LoginThrottle;
  readonly flows: FlowSet;
  /** The channels this process runs (status and WhatsApp pairing are shown to staff). */
  readonly channels: ReadonlyMap<string, ChannelAdapter>;
  readonly simulatorEnabled: boolean;
  /** Wakes the delivery worker after staff queue a message (a reply, a notice). */
  readonly wakeDelivery: () => void;
  /** How long a resident offered a freed seat has to accept it (OFFER_TTL). */
  readonly offerTtlMs: number;
}
