import { readFileSync } from "node:fs";
import { Router } from "express";
import type { InboundPipeline } from "../../inbound/pipeline-contract.js";
import {
  firstProblem,
  simulatorInbound,
  simulatorMessageSchema,
  toSimulatorReply,
} from "./message.js";
import { renderSimulatorPage } from "./page.js";

function asset(name: string): string {
  return readFileSync(new URL(`./assets/${name}`, import.meta.url), "utf8");
}

/**
 * The simulator channel over HTTP: `POST /api/simulator/messages` runs one resident message
 * through the pipeline and answers with that turn's replies; `GET /simulator` is the web chat.
 * Mount only when the configuration enables the simulator: it has no authentication.
 */
export function simulatorRoutes(pipeline: InboundPipeline): Router {
  const page = renderSimulatorPage();
  const script = asset("app.js");
  const style = asset("style.css");
  const router = Router();

  router.post("/api/simulator/messages", async (req, res, next) => {
    const parsed = simulatorMessageSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: "invalid_body", ...firstProblem(parsed.error) });
      return;
    }
    let replies: Awaited<ReturnType<InboundPipeline["receive"]>>["replies"];
    try {
      ({ replies } = await pipeline.receive(simulatorInbound(parsed.data)));
    } catch (error) {
      // The app's error handler logs it and answers 500 {"error":"internal_error"}; the wrapper
      // has no `status`, so nothing the pipeline threw can turn into another status code.
      next(new Error("simulator turn failed", { cause: error }));
      return;
    }
    res.json({ replies: replies.map(toSimulatorReply) });
  });

  router.get("/simulator", (_req, res) => {
    res.type("html").set("Cache-Control", "no-cache").send(page);
  });
  router.get("/simulator/app.js", (_req, res) => {
    res.type("text/javascript; charset=utf-8").set("Cache-Control", "no-cache").send(script);
  });
  router.get("/simulator/style.css", (_req, res) => {
    res.type("text/css; charset=utf-8").set("Cache-Control", "no-cache").send(style);
  });
  return router;
}
