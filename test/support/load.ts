/**
 * A small load generator for tests and measurements on loopback: many sessions (residents),
 * each sending its requests one after the other (as one chat's updates come), with at most
 * `concurrency` sessions at once and a time limit after which no request starts. Every request
 * is timed; the report gives the statuses, latency percentiles and throughput.
 */

export interface LoadPlan {
  /** How many sessions run. */
  sessions: number;
  /** Requests each session sends, one after the other. */
  requestsPerSession: number;
  /** Most sessions in flight at once. */
  concurrency: number;
  /** No request starts after this long; those left are counted as `notSent`. */
  timeLimitMs: number;
  /**
   * Sends request `index` of session `session` and resolves with the HTTP status (0 when the
   * connection failed). A session stops at its first answer that is not 2xx.
   */
  send(session: number, index: number): Promise<number>;
}

export interface LoadReport {
  /** Requests answered (any status). */
  requests: number;
  /** Requests not sent: the time limit passed, or their session stopped at a failure. */
  notSent: number;
  /** How many requests got each status (0: the connection failed). */
  statuses: Record<number, number>;
  durationMs: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Requests answered per second over the whole run. */
  perSecond: number;
}

export async function runLoad(plan: LoadPlan): Promise<LoadReport> {
  const started = performance.now();
  const deadline = started + plan.timeLimitMs;
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;

  async function session(id: number): Promise<void> {
    for (let index = 0; index < plan.requestsPerSession; index++) {
      if (performance.now() > deadline) return;
      const sentAt = performance.now();
      const status = await plan.send(id, index).catch(() => 0);
      latencies.push(performance.now() - sentAt);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status < 200 || status >= 300) return;
    }
  }
  async function lane(): Promise<void> {
    for (let id = next++; id < plan.sessions; id = next++) await session(id);
  }
  await Promise.all(Array.from({ length: Math.min(plan.concurrency, plan.sessions) }, lane));

  const durationMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    notSent: plan.sessions * plan.requestsPerSession - latencies.length,
    statuses,
    durationMs,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? 0,
    },
    perSecond: latencies.length / (durationMs / 1000),
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** One line for the test output, e.g. "1600 requests in 6.1 s (262/s); latency p50 …". */
export function describeLoad(report: LoadReport): string {
  const { p50, p95, p99, max } = report.latencyMs;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const statuses = Object.entries(report.statuses)
    .map(([status, count]) => `${status}×${count}`)
    .join(", ");
  return (
    `${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s ` +
    `(${report.perSecond.toFixed(0)}/s); latency p50 ${ms(p50)}, p95 ${ms(p95)}, ` +
    `p99 ${ms(p99)}, max ${ms(max)}; statuses ${statuses}; not sent ${report.notSent}`
  );
}
