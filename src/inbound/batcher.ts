export interface BatcherOptions<Job, Result> {
  /** Does a whole batch at once; resolves with one result per job, in order. */
  work(jobs: readonly Job[]): Promise<Result[]>;
  /** Batches that may run at the same time. */
  concurrency: number;
  /** Jobs one batch takes at most. */
  maxBatch: number;
  /**
   * Whether a failed batch of several jobs gives up on all of them (true: an outage) instead of
   * doing each job alone, so that one bad job fails only itself.
   */
  failsAll(error: unknown): boolean;
}

interface Waiting<Job, Result> {
  job: Job;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Groups jobs that arrive while earlier batches run. With nothing running a job starts at
 * once, on its own; under load, whatever queued meanwhile goes together, so the cost of a
 * batch (one transaction, a few round trips) is shared by many jobs.
 */
export class Batcher<Job, Result> {
  private readonly waiting: Waiting<Job, Result>[] = [];
  private running = 0;
  private startScheduled = false;

  constructor(private readonly options: BatcherOptions<Job, Result>) {}

  /** Resolves with the job's result; rejects with its error when it failed on its own. */
  run(job: Job): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      // Jobs queued in the same tick (many replies read from one socket) go together.
      if (this.startScheduled) return;
      this.startScheduled = true;
      queueMicrotask(() => {
        this.startScheduled = false;
        this.start();
      });
    });
  }

  private start(): void {
    while (this.running < this.options.concurrency && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.running++;
      void this.settle(batch).finally(() => {
        this.running--;
        this.start();
      });
    }
  }

  private async settle(batch: Waiting<Job, Result>[]): Promise<void> {
    let results: Result[];
    try {
      results = await this.options.work(batch.map(({ job }) => job));
    } catch (error) {
      if (batch.length === 1 || this.options.failsAll(error)) {
        for (const { reject } of batch) reject(error);
        return;
      }
      for (const waiting of batch) await this.settle([waiting]);
      return;
    }
    for (const [index, { resolve }] of batch.entries()) resolve(results[index] as Result);
  }
}
