import type { ChannelState } from "../../src/channels/adapter.js";
import type { TimerHandle, Timers } from "../../src/channels/whatsapp/timers.js";

interface Entry {
  callback: () => void;
  ms: number;
}

/** Timers that run only when the test says so; nothing waits for real time. */
export class ManualTimers implements Timers {
  private next = 1;
  private readonly timeouts = new Map<number, Entry>();
  private readonly intervals = new Map<number, Entry>();
  private readonly waiting: { ms: number; resolve: () => void }[] = [];

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.next++;
    this.timeouts.set(id, { callback, ms });
    for (const waiter of this.waiting.filter((w) => w.ms === ms)) {
      this.waiting.splice(this.waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
    return { timer: id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.timeouts.delete(handle.timer as number);
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    const id = this.next++;
    this.intervals.set(id, { callback, ms });
    return { timer: id };
  }

  clearInterval(handle: TimerHandle): void {
    this.intervals.delete(handle.timer as number);
  }

  /** Delays of the pending timeouts. */
  pending(): number[] {
    return [...this.timeouts.values()].map((entry) => entry.ms);
  }

  /** Resolves when a timeout of `ms` is pending (at once if one is). */
  timeoutOf(ms: number): Promise<void> {
    if (this.pending().includes(ms)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ ms, resolve }));
  }

  /** Runs every pending timeout of `ms` once; returns how many ran. */
  runTimeouts(ms: number): number {
    const due = [...this.timeouts].filter(([, entry]) => entry.ms === ms);
    for (const [id, entry] of due) {
      this.timeouts.delete(id);
      entry.callback();
    }
    return due.length;
  }

  /** Runs every interval of period `ms` once. */
  tick(ms: number): number {
    const due = [...this.intervals.values()].filter((entry) => entry.ms === ms);
    for (const entry of due) entry.callback();
    return due.length;
  }

  intervalCount(): number {
    return this.intervals.size;
  }
}

/** Resolves when `source.status()` satisfies `accept` (now or at a later change). */
export function statusWhere(
  source: {
    status(): ChannelState;
    onStatus(listener: (state: ChannelState) => void): () => void;
  },
  accept: (state: ChannelState) => boolean,
): Promise<ChannelState> {
  const now = source.status();
  if (accept(now)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const unsubscribe = source.onStatus((state) => {
      if (!accept(state)) return;
      unsubscribe();
      resolve(state);
    });
  });
}
