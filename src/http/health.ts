import { Router } from "express";
import type { Registry } from "prom-client";

export interface ReadinessCheck {
  /** Shown in the /readyz body, e.g. "database". */
  name: string;
  check(): Promise<{ ok: boolean; detail?: string }>;
}

/** GET /healthz (the process answers), GET /readyz (each dependency), GET /metrics. */
export function healthRoutes(checks: readonly ReadinessCheck[], registry: Registry): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => ({ name, ...(await check()) })),
    );
    const ready = results.every((result) => result.ok);
    res.status(ready ? 200 : 503).json({
      status: ready ? "ready" : "not_ready",
      checks: Object.fromEntries(
        results.map(({ name, ok, detail }) => [name, detail ? { ok, detail } : { ok }]),
      ),
    });
  });
  router.get("/metrics", async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
