/**
 * One channel's claims of one worker, kept safe across database outages. A claim whose answer
 * was lost with the connection may have committed: its rows are leased to this worker, which
 * does not know it, and would wait out the lease. After a drain failed, the next drain first
 * gives back the worker's rows of the channel that it is not sending (`release`), but only when
 * no other drain of the channel is under way; one started meanwhile waits for it, so no claim
 * of this worker races with the release.
 */
export interface ClaimGuard {
  /** Rows claimed and not settled yet: add when claimed, delete when settled. */
  readonly inFlight: Set<number>;
  /** Runs one drain, after the release it owes (if any); a failed drain owes one. */
  run<T>(drain: () => Promise<T>): Promise<T>;
}

export function createClaimGuard(
  release: (inFlight: readonly number[]) => Promise<number>,
  onReleased: (released: number) => void,
): ClaimGuard {
  const inFlight = new Set<number>();
  let drains = 0;
  let owed = false;
  let releasing: Promise<void> | undefined;

  function releaseOwed(): Promise<void> {
    if (releasing) return releasing;
    if (!owed || drains > 0) return Promise.resolve();
    releasing = release([...inFlight])
      .then((released) => {
        owed = false;
        if (released > 0) onReleased(released);
      })
      .finally(() => {
        releasing = undefined;
      });
    return releasing;
  }

  return {
    inFlight,
    run(drain) {
      const run = releaseOwed().then(drain);
      drains += 1;
      run.then(
        () => {
          drains -= 1;
        },
        () => {
          drains -= 1;
          owed = true;
        },
      );
      return run;
    },
  };
}
