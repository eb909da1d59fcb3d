import { readFileSync } from "node:fs";
import { Router } from "express";
import { z } from "zod";
import type { InboundPipeline } from "../../inbound/pipeline-contract.js";
import type { InboxMessage } from "./inbox.js";
import {
  firstProblem,
  simulatorIdPattern,
  simulatorInbound,
  simulatorMessageSchema,
  toSimulatorReply,
} from "./message.js";
import { renderSimulatorPage } from "./page.js";

function asset(name: string): string {
  return readFileSync(new URL(`./assets/${name}`, import.meta.url), "utf8");
}

/** Messages sent to a simulator resident outside a turn, after a given outbox id. */
export type SimulatorInbox = (residentId: string, afterId: number) => Promise<InboxMessage[]>;

const inboxQuery = z.object({
  from: z.string().regex(simulatorIdPattern, { error: "expected a simulator resident id" }),
  after: z.coerce.number().int().min(0).default(0),
});

/**
 * The simulator channel over HTTP: `POST /api/simulator/messages` runs one resident message
 * through the pipeline and answers with that turn's replies; `GET /api/simulator/inbox` lists
 * what reached the resident later (reminders, staff notices, announcements); `GET /simulator`
 * is the web chat. Mount only when the configuration enables the simulator: it has no
 * authentication.
 */
export function simulatorRoutes(pipeline: InboundPipeline, inbox?: SimulatorInbox): Router {
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

  if (inbox) {
    router.get("/api/simulator/inbox", async (req, res) => {
      const parsed = inboxQuery.safeParse(req.query);
      if (!parsed.success) {
        res.status(400).json({ error: "invalid_query", ...firstProblem(parsed.error) });
        return;
      }
      const messages = await inbox(parsed.data.from, parsed.data.after);
      res.json({
        messages: messages.map((row) => ({ id: row.id, ...toSimulatorReply(row.message) })),
      });
    });
  }

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
