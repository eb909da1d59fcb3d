import { collectDefaultMetrics, Registry } from "prom-client";

/** The Prometheus registry behind GET /metrics; modules add their own counters to it. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "berdaya_" });
  return registry;
}
