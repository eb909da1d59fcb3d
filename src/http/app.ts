import express, { type ErrorRequestHandler, type Router } from "express";
import { describeUnavailable, unavailableCode } from "../db/unavailable.js";
import type { Logger } from "../log.js";

/** Seconds a caller is asked to wait before trying again while the database cannot store. */
const retryAfterSeconds = 5;

/**
 * The express app: security headers, JSON bodies, the given routers, and error handling that
 * answers 4xx/5xx JSON without leaking details: 503 with Retry-After when the database cannot
 * store anything now (unreachable, disk full), so the caller sends the same request again.
 */
export function createHttpApp(routers: readonly Router[], log: Logger): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use((_req, res, next) => {
    res.set({
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin",
      "Content-Security-Policy":
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    });
    next();
  });
  app.use(express.json({ limit: "256kb" }));
  for (const router of routers) app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: "not_found" });
  });
  const handleError: ErrorRequestHandler = (error, req, res, _next) => {
    if (error?.type === "entity.parse.failed") {
      res.status(400).json({ error: "invalid_body", field: "body", message: "expected JSON" });
      return;
    }
    const unavailable = unavailableCode(error);
    if (unavailable) {
      log.warn(
        { database: describeUnavailable(unavailable), path: req.path },
        "database cannot store now; answered 503",
      );
      res.status(503).set("Retry-After", String(retryAfterSeconds)).json({ error: "unavailable" });
      return;
    }
    const status = typeof error?.status === "number" && error.status < 500 ? error.status : 500;
    if (status >= 500) log.error({ err: error, path: req.path }, "request failed");
    res
      .status(status)
      .json({ error: status === 500 ? "internal_error" : (error.type ?? "bad_request") });
  };
  app.use(handleError);
  return app;
}
