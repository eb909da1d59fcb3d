/**
 * Runs the turns that share a transaction side by side, except for work that must not overlap
 * another turn's (`alone`: registering for a seat, linking, erasing). That work runs one at a
 * time, and only once every other turn is waiting for such work too or has finished: as late as
 * possible, so that a lock it takes (a programme's row, held until the commit) is held briefly.
 */
export class TurnScheduler {
  /** Turns running work that may overlap. */
  private running: number;
  private aloneRunning = false;
  private readonly waiting: (() => void)[] = [];

  constructor(turns: number) {
    this.running = turns;
  }

  async alone<T>(work: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.running--;
      this.next();
    });
    try {
      return await work();
    } finally {
      this.aloneRunning = false;
      this.running++;
    }
  }

  /** A turn has finished, or failed. */
  finished(): void {
    this.running--;
    this.next();
  }

  private next(): void {
    if (this.aloneRunning || this.running > 0) return;
    const start = this.waiting.shift();
    if (!start) return;
    this.aloneRunning = true;
    start();
  }
}
