import { unavailableBackoffMs } from "../../db/retry.js";
import { databaseErrorForLog, isDatabaseUnavailable } from "../../db/unavailable.js";
import { KeyedQueue } from "../../inbound/keyed-queue.js";
import type { Logger } from "../../log.js";
import type { Receive } from "../adapter.js";
import { redactChatId } from "./chat-id.js";
import type { WhatsAppMessageLike } from "./client.js";
import { isWhatsAppMessage, toInboundMessage } from "./inbound.js";
import type { Timers } from "./timers.js";

export interface DispatcherOptions {
  log: Logger;
  clock: () => Date;
  timers: Timers;
  /** The first retry waits this long, the second twice as long. */
  retryMs: number;
  savePhoto(bytes: Uint8Array, mimeType: string): Promise<number>;
}

/** Tries per message: the first, and two retries (the pipeline stores first, so a retry is safe). */
const attempts = 3;
/** While the database is unreachable, a message is tried again at most this far apart. */
const maxUnavailablePauseMs = 30_000;

/**
 * Hands `message` events to the pipeline: one chat's messages one after the other, in the
 * order they came (each awaited, photo download included), different chats side by side.
 * WhatsApp does not deliver an event twice on purpose, so a message the pipeline could not
 * take is held in memory and tried again: while the database is unreachable, until it is back
 * (pauses growing to 30 s); after any other error, twice more before it is given up, loudly.
 */
export class InboundDispatcher {
  private readonly queue = new KeyedQueue<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private receive: Receive | undefined;

  constructor(private readonly options: DispatcherOptions) {}

  open(receive: Receive): void {
    this.receive = receive;
  }

  /** Takes no more messages and waits for those in hand. */
  async close(): Promise<void> {
    this.receive = undefined;
    await this.settled();
  }

  dispatch(value: unknown): void {
    const receive = this.receive;
    if (!receive || !isWhatsAppMessage(value)) return;
    const task = this.queue.run(value.from, () => this.handle(value, receive));
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Never rejects. */
  private async handle(message: WhatsAppMessageLike, receive: Receive): Promise<void> {
    const { log } = this.options;
    const chat = redactChatId(message.from);
    for (let attempt = 1; ; attempt++) {
      try {
        const inbound = await toInboundMessage(message, {
          now: this.options.clock(),
          savePhoto: this.options.savePhoto,
        });
        if (inbound.kind === "ignored") {
          log.debug({ reason: inbound.reason }, "WhatsApp message ignored");
          return;
        }
        if (inbound.problem)
          log.warn({ chat, problem: inbound.problem }, "WhatsApp photo not kept");
        await receive(inbound.message);
        return;
      } catch (error) {
        const unavailable = isDatabaseUnavailable(error);
        if ((attempt >= attempts && !unavailable) || this.receive === undefined) {
          log.error({ err: error, chat }, "a WhatsApp message could not be processed and is lost");
          return;
        }
        log.warn(
          { ...databaseErrorForLog(error), chat, attempt },
          "WhatsApp message not processed; trying again",
        );
        await this.pause(
          unavailable
            ? Math.max(this.options.retryMs, unavailableBackoffMs(attempt, maxUnavailablePauseMs))
            : this.options.retryMs * 2 ** (attempt - 1),
        );
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => this.options.timers.setTimeout(resolve, ms));
  }
}
