import type { Db } from "../../db/client.js";
import { redactPhone } from "../../engine/understand/phone.js";
import type { Logger } from "../../log.js";
import type { ChannelState } from "../adapter.js";
import type { WhatsAppClientLike } from "./client.js";
import {
  type DisconnectReason,
  describeDisconnect,
  heldElsewhereReason,
} from "./disconnect-reason.js";
import { LeaseKeeper } from "./lease-keeper.js";
import { type TimerHandle, type Timers, withTimeout } from "./timers.js";
import type { WhatsAppTiming } from "./timing.js";

export interface SessionOptions {
  db: Db;
  log: Logger;
  clock: () => Date;
  holderId: string;
  createClient: () => WhatsAppClientLike;
  /** Pair with a code sent to this number (E.164) instead of a QR code. */
  pairingNumber?: string;
  timers: Timers;
  timing: WhatsAppTiming;
  /** Shows a new QR code, or pairing code, to the operator (the terminal). */
  showQr: (qr: string) => void;
  showCode: (code: string) => void;
  /** A `message` event of the live client. */
  onMessage: (message: unknown) => void;
}

/** Watchdog rounds a start may show nothing (no QR code, no login) before it is given up. */
const stalledStartRounds = 2;

/**
 * One WhatsApp Web session: with the database lease held (only one process drives the number,
 * DESIGN.md invariant 6), runs one whatsapp-web.js client at a time, replaces it after a
 * disconnect (exponential backoff) or when the watchdog finds the browser dead, and tells its
 * state. Events of a replaced client are ignored: each client has its own `generation`.
 */
export class WhatsAppSession {
  private state: ChannelState = { state: "off" };
  private running = false;
  private client: WhatsAppClientLike | undefined;
  private generation = 0;
  private reconnectAttempts = 0;
  private qr: string | undefined;
  private code: string | undefined;
  /** The generation whose client was asked for a pairing code. */
  private codeRequestedFor = -1;
  private reconnect: TimerHandle | undefined;
  private watchdog: TimerHandle | undefined;
  private checking = false;
  /** The client still starting at the watchdog's last rounds, and how many rounds. */
  private startingSeen = { generation: -1, rounds: 0 };
  private readonly lease: LeaseKeeper;
  private readonly listeners = new Set<(state: ChannelState) => void>();

  constructor(private readonly options: SessionOptions) {
    this.lease = new LeaseKeeper({
      ...options,
      onAcquired: () => this.begin(),
      onWaiting: (reason) => this.setState({ state: "disconnected", reason }),
      onLost: () => this.end(),
    });
  }

  status(): ChannelState {
    return this.state;
  }

  /** The client, while it is ready to send. */
  readyClient(): WhatsAppClientLike | undefined {
    return this.state.state === "ready" ? this.client : undefined;
  }

  pairingQr(): string | undefined {
    return this.state.state === "qr" ? this.qr : undefined;
  }

  pairingCode(): string | undefined {
    return this.state.state === "qr" ? this.code : undefined;
  }

  onStatus(listener: (state: ChannelState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Takes the lease (or waits for it) and starts a client; does not wait for the login. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.setState({ state: "starting" });
    await this.lease.start();
  }

  /** Closes the browser and gives the lease up. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.end();
    await this.lease.stop();
    this.setState({ state: "off" });
  }

  /**
   * Re-pairing, asked for by an administrator: logs the linked number out (whatsapp-web.js
   * forgets the saved session), closes the browser and starts a new client, which shows a new
   * QR code. Only the process holding the lease can do it.
   */
  async repair(): Promise<boolean> {
    if (!this.running || !this.lease.holds) return false;
    const { timers, timing, log } = this.options;
    const client = this.client;
    this.generation += 1;
    this.client = undefined;
    this.forgetPairing();
    log.info("WhatsApp re-pairing requested from the console");
    this.setState({ state: "starting" });
    if (client) {
      try {
        if (client.logout) await withTimeout(timers, client.logout(), timing.destroyTimeoutMs);
      } catch (error) {
        log.warn({ err: error }, "logging WhatsApp out failed; starting again anyway");
      }
      await this.teardown(client);
    }
    if (this.reconnect) timers.clearTimeout(this.reconnect);
    this.reconnectAttempts = 0;
    this.launch();
    return true;
  }

  /** The lease is ours: watch the browser, start a client. */
  private begin(): void {
    if (!this.running) return;
    this.reconnectAttempts = 0;
    const { timers, timing } = this.options;
    this.watchdog = timers.setInterval(() => void this.check(), timing.watchdogMs);
    this.launch();
  }

  /** Stops the watchdog and any reconnect, closes the client. */
  private async end(): Promise<void> {
    const { timers } = this.options;
    if (this.watchdog) timers.clearInterval(this.watchdog);
    if (this.reconnect) timers.clearTimeout(this.reconnect);
    this.watchdog = undefined;
    this.reconnect = undefined;
    this.generation += 1;
    const client = this.client;
    this.client = undefined;
    this.forgetPairing();
    if (this.running) this.setState({ state: "disconnected", reason: heldElsewhereReason });
    if (client) await this.teardown(client);
  }

  /** Builds a client and starts it; initialize() is not awaited (it runs until logged in). */
  private launch(): void {
    this.reconnect = undefined;
    if (!this.running || !this.lease.holds) return;
    this.generation += 1;
    const generation = this.generation;
    this.forgetPairing();
    this.setState({ state: "starting" });
    let client: WhatsAppClientLike;
    try {
      client = this.options.createClient();
    } catch (error) {
      this.options.log.error({ err: error }, "could not create the WhatsApp client");
      void this.lose(generation, "start_failed");
      return;
    }
    this.client = client;
    this.listen(client, generation);
    client.initialize().catch((error: unknown) => {
      if (generation !== this.generation) return;
      this.options.log.error(
        { err: error },
        "WhatsApp client failed to start (is Chromium installed at CHROMIUM_PATH?)",
      );
      void this.lose(generation, "start_failed");
    });
  }

  private listen(client: WhatsAppClientLike, generation: number): void {
    const { log } = this.options;
    const live = () => this.running && generation === this.generation;
    client.on("qr", (qr) => {
      if (!live() || typeof qr !== "string") return;
      this.qr = qr;
      this.setState({ state: "qr", qr });
      this.options.showQr(qr);
      this.requestCode(client, generation, live);
    });
    client.on("code", (code) => {
      if (live() && typeof code === "string") this.setCode(code);
    });
    client.on("authenticated", () => {
      if (!live()) return;
      this.forgetPairing();
      this.setState({ state: "authenticated" });
    });
    client.on("auth_failure", () => {
      if (live()) void this.lose(generation, "auth_failure");
    });
    client.on("ready", () => {
      if (!live()) return;
      this.reconnectAttempts = 0;
      this.forgetPairing();
      const user = client.info?.wid?.user;
      log.info(user ? { account: redactPhone(`+${user}`) } : {}, "WhatsApp is ready");
      this.setState({ state: "ready" });
    });
    client.on("disconnected", (reason) => {
      if (live()) void this.lose(generation, String(reason));
    });
    client.on("change_state", (waState) => {
      if (live()) log.info({ waState: String(waState) }, "WhatsApp Web state changed");
    });
    client.on("message", (message) => {
      if (live()) this.options.onMessage(message);
    });
  }

  /** With a pairing number: ask for a code once per client (it renews itself every 3 min). */
  private requestCode(client: WhatsAppClientLike, generation: number, live: () => boolean): void {
    const number = this.options.pairingNumber;
    if (!number || !client.requestPairingCode || this.codeRequestedFor === generation) return;
    this.codeRequestedFor = generation;
    client.requestPairingCode(number.replace(/\D/g, "")).then(
      (code) => {
        if (live() && typeof code === "string") this.setCode(code);
      },
      (error: unknown) => {
        this.options.log.warn({ err: error }, "no WhatsApp pairing code; scan the QR code instead");
      },
    );
  }

  /** Gives the client up (closing its browser) and builds a new one after a pause. */
  private async lose(generation: number, reason: DisconnectReason): Promise<void> {
    if (!this.running || generation !== this.generation) return;
    const { log } = this.options;
    this.generation += 1;
    const client = this.client;
    this.client = undefined;
    this.forgetPairing();
    const described = describeDisconnect(reason);
    if (described.alert) log.error({ reason }, described.alert);
    else log.warn({ reason }, "WhatsApp disconnected; reconnecting");
    this.setState({ state: "disconnected", reason: described.status });
    if (client) await this.teardown(client);
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (!this.running || !this.lease.holds) return;
    const { timing, timers, log } = this.options;
    const delayMs = Math.min(
      timing.reconnectMinMs * 2 ** Math.min(this.reconnectAttempts, 20),
      timing.reconnectMaxMs,
    );
    this.reconnectAttempts += 1;
    log.info({ delayMs }, "WhatsApp reconnects after a pause");
    this.reconnect = timers.setTimeout(() => this.launch(), delayMs);
  }

  private async teardown(client: WhatsAppClientLike): Promise<void> {
    client.removeAllListeners();
    const { timers, timing, log } = this.options;
    try {
      await withTimeout(timers, client.destroy(), timing.destroyTimeoutMs);
    } catch (error) {
      log.warn({ err: error }, "closing the WhatsApp browser failed");
    }
  }

  /**
   * The watchdog: a browser that does not answer (crashed, hung) counts as a disconnect, and so
   * does a start that shows no QR code and no login for two rounds (whatsapp-web.js waits for
   * WhatsApp Web's page and socket without a time limit, so a browser that hangs while
   * starting would otherwise leave the channel starting for good).
   */
  private async check(): Promise<void> {
    const client = this.client;
    const { state } = this.state;
    if (client && state === "starting") {
      const seen = this.startingSeen;
      this.startingSeen =
        seen.generation === this.generation
          ? { generation: seen.generation, rounds: seen.rounds + 1 }
          : { generation: this.generation, rounds: 1 };
      if (this.startingSeen.rounds > stalledStartRounds) {
        this.options.log.warn("WhatsApp Web did not finish starting");
        await this.lose(this.generation, "start_stalled");
      }
      return;
    }
    if (!client?.getState || this.checking) return;
    if (state !== "ready" && state !== "authenticated" && state !== "qr") return;
    this.checking = true;
    const generation = this.generation;
    const { timers, timing, log } = this.options;
    let answered = true;
    try {
      await withTimeout(timers, client.getState(), timing.watchdogTimeoutMs);
    } catch (error) {
      log.warn({ err: error }, "the WhatsApp browser does not answer");
      answered = false;
    } finally {
      this.checking = false;
    }
    if (!answered) await this.lose(generation, "browser_unresponsive");
  }

  private setCode(code: string): void {
    if (code === this.code) return;
    this.code = code;
    this.options.showCode(code);
  }

  private forgetPairing(): void {
    this.qr = undefined;
    this.code = undefined;
  }

  private setState(next: ChannelState): void {
    const previous = this.state;
    this.state = next;
    const changed =
      previous.state !== next.state ||
      (previous.state === "disconnected" &&
        next.state === "disconnected" &&
        previous.reason !== next.reason);
    if (changed) {
      this.options.log.info(
        next.state === "disconnected"
          ? { state: next.state, reason: next.reason }
          : { state: next.state },
        "WhatsApp connection state",
      );
    }
    for (const listener of this.listeners) listener(next);
  }
}
