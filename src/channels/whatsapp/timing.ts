/** How long things take; every one can be changed for tests. */
export interface WhatsAppTiming {
  /** A lease lasts this long unless renewed. */
  leaseTtlMs: number;
  leaseRenewMs: number;
  /** While another process holds the session: how often to try to take it. */
  leaseRetryMs: number;
  /** Reconnecting waits this long, doubling after each failure, up to `reconnectMaxMs`. */
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** How often the watchdog asks the browser for WhatsApp's state, and how long it waits. */
  watchdogMs: number;
  watchdogTimeoutMs: number;
  /** Closing a browser that hangs is given up after this long. */
  destroyTimeoutMs: number;
  /**
   * A send WhatsApp Web has not answered after this long is given up (and retried): a browser
   * that died mid-send never answers, and the delivery worker waits for every send it started.
   * At most a third of the delivery lease (60 s): a send starts within a third of it, so its
   * outcome is still recorded under the lease.
   */
  sendTimeoutMs: number;
  /** A send while WhatsApp is not connected is retried after this long. */
  notReadyRetryMs: number;
  /** A send that failed for another reason is retried after this long. */
  sendErrorRetryMs: number;
  /** A resident's message the pipeline could not take (database down) is tried again after this long, then twice as long. */
  receiveRetryMs: number;
}

export const defaultTiming: WhatsAppTiming = {
  leaseTtlMs: 60_000,
  leaseRenewMs: 20_000,
  leaseRetryMs: 30_000,
  reconnectMinMs: 5_000,
  reconnectMaxMs: 300_000,
  watchdogMs: 60_000,
  watchdogTimeoutMs: 30_000,
  destroyTimeoutMs: 30_000,
  sendTimeoutMs: 20_000,
  notReadyRetryMs: 30_000,
  sendErrorRetryMs: 15_000,
  receiveRetryMs: 2_000,
};
