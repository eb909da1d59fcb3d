import type { Db } from "../../db/client.js";
import type { Logger } from "../../log.js";
import { heldElsewhereReason } from "./disconnect-reason.js";
import { releaseLease, takeLease, whatsappLeaseName } from "./lease.js";
import type { TimerHandle, Timers } from "./timers.js";
import type { WhatsAppTiming } from "./timing.js";

export interface LeaseKeeperOptions {
  db: Db;
  log: Logger;
  clock: () => Date;
  holderId: string;
  timers: Timers;
  timing: Pick<WhatsAppTiming, "leaseTtlMs" | "leaseRenewMs" | "leaseRetryMs">;
  /** The lease is ours: start the session. */
  onAcquired(): void;
  /** The lease is not (or no longer) ours: `reason` says why, for status(). */
  onWaiting(reason: string): void;
  /** The lease was lost while held: stop the session now. */
  onLost(): Promise<void>;
}

/**
 * Keeps the `whatsapp-session` lease for this process: takes it (or waits, retrying, while
 * another live process holds it), renews it while held, and releases it on stop. A renewal
 * that fails for longer than the lease lasts counts as lost, before another process may take it.
 */
export class LeaseKeeper {
  private running = false;
  private held = false;
  private validUntil = 0;
  /** The renewal in flight: stop() waits for it, or it could write the lease back. */
  private renewing: Promise<void> | undefined;
  private retry: TimerHandle | undefined;
  private renewal: TimerHandle | undefined;

  constructor(private readonly options: LeaseKeeperOptions) {}

  get holds(): boolean {
    return this.held;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.acquire();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.clear();
    await this.renewing;
    if (!this.held) return;
    this.held = false;
    await releaseLease(this.options.db, this.lease()).catch((error: unknown) => {
      this.options.log.warn({ err: error }, "could not release the WhatsApp session lease");
    });
  }

  private lease() {
    return { name: whatsappLeaseName, holder: this.options.holderId };
  }

  private async acquire(): Promise<void> {
    this.retry = undefined;
    if (!this.running) return;
    const { db, log, timing, timers } = this.options;
    const now = this.options.clock();
    let taken: boolean;
    try {
      taken = await takeLease(db, { ...this.lease(), now, ttlMs: timing.leaseTtlMs });
    } catch (error) {
      log.warn({ err: error }, "could not take the WhatsApp session lease; trying again later");
      this.options.onWaiting("database tidak bisa dihubungi");
      this.retryLater();
      return;
    }
    if (!this.running) {
      // stop() ran meanwhile and did not know about this lease.
      if (taken) await releaseLease(db, this.lease()).catch(() => {});
      return;
    }
    if (!taken) {
      this.options.onWaiting(heldElsewhereReason);
      this.retryLater();
      return;
    }
    this.held = true;
    this.validUntil = now.getTime() + timing.leaseTtlMs;
    log.info("took the WhatsApp session lease");
    this.renewal = timers.setInterval(() => {
      if (this.renewing) return;
      this.renewing = this.renew()
        .catch((error: unknown) => {
          this.options.log.error({ err: error }, "renewing the WhatsApp session lease failed");
        })
        .finally(() => {
          this.renewing = undefined;
        });
    }, timing.leaseRenewMs);
    this.options.onAcquired();
  }

  private retryLater(): void {
    if (!this.running) return;
    this.retry = this.options.timers.setTimeout(
      () => void this.acquire(),
      this.options.timing.leaseRetryMs,
    );
  }

  private async renew(): Promise<void> {
    if (!this.running || !this.held) return;
    const { db, clock, timing, log } = this.options;
    const now = clock();
    let kept: boolean;
    try {
      kept = await takeLease(db, { ...this.lease(), now, ttlMs: timing.leaseTtlMs });
    } catch (error) {
      log.warn({ err: error }, "could not renew the WhatsApp session lease");
      // Still ours until it expires; give the session up before another process may take it.
      if (clock().getTime() + timing.leaseRenewMs < this.validUntil) return;
      kept = false;
    }
    if (!this.running || !this.held) return;
    if (kept) {
      this.validUntil = now.getTime() + timing.leaseTtlMs;
      return;
    }
    log.error("lost the WhatsApp session lease; closing this process's browser");
    this.held = false;
    this.clear();
    await this.options.onLost();
    this.options.onWaiting(heldElsewhereReason);
    this.retryLater();
  }

  private clear(): void {
    if (this.retry) this.options.timers.clearTimeout(this.retry);
    if (this.renewal) this.options.timers.clearInterval(this.renewal);
    this.retry = undefined;
    this.renewal = undefined;
  }
}
