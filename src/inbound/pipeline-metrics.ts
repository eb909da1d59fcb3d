import { Counter, Histogram, type Registry } from "prom-client";

/** What the inbound pipeline reports on /metrics. */
export interface PipelineMetrics {
  turnDone(milliseconds: number): void;
  turnFailed(): void;
  /** A message not answered because the resident sent too many too fast (pace.ts). */
  tooFast(): void;
  /** An answer the engine could not use, by flow and step: where residents get stuck. */
  unrecognised(flowId: string, stepId: string): void;
  /** A transaction of turns committed, with this many messages or contacts (batcher.ts). */
  batchCommitted(jobs: number): void;
}

export function pipelineMetrics(registry: Registry): PipelineMetrics {
  const turns = new Counter({
    name: "berdaya_turns_total",
    help: "Inbound messages processed through the conversation engine, by outcome (too_fast: a flood, not answered).",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "berdaya_turn_duration_seconds",
    help: "Time to run one message through the engine and its actions (inside the transaction).",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const unrecognised = new Counter({
    name: "berdaya_unrecognised_answers_total",
    help: "Messages the engine did not understand, by flow and step (empty when no flow was active).",
    labelNames: ["flow", "step"],
    registers: [registry],
  });
  const batches = new Histogram({
    name: "berdaya_turn_batch_size",
    help: "Messages whose turns committed in one transaction: 1 when quiet, more under load.",
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [registry],
  });
  return {
    turnDone: (milliseconds) => {
      turns.inc({ outcome: "processed" });
      latency.observe(milliseconds / 1000);
    },
    turnFailed: () => turns.inc({ outcome: "failed" }),
    tooFast: () => turns.inc({ outcome: "too_fast" }),
    unrecognised: (flowId, stepId) => unrecognised.inc({ flow: flowId, step: stepId }),
    batchCommitted: (jobs) => batches.observe(jobs),
  };
}
