import { type NextFunction, type Request, type Response, Router } from "express";
import type { z } from "zod";
import type { Db } from "../db/client.js";
import type { Logger } from "../log.js";
import { principalForToken } from "../staff/api-tokens.js";
import type { Staff } from "../staff/principal.js";
import type { Endpoint } from "./endpoint.js";
import { ApiError, invalidRequest } from "./errors.js";
import { openApiDocument } from "./openapi.js";

export interface ApiDeps {
  readonly db: Db;
  readonly clock: () => Date;
  readonly log: Logger;
  readonly publicUrl: string;
  readonly wakeDelivery: () => void;
  /** How long a resident offered a freed seat has to accept it (OFFER_TTL). */
  readonly offerTtlMs: number;
}

const base = "/api/v1";

function sendError(res: Response, error: ApiError): void {
  res.status(error.status).json({
    error: error.code,
    message: error.message,
    ...(error.field ? { field: error.field } : {}),
  });
}

function check<S extends z.ZodType>(
  schema: S | undefined,
  value: unknown,
  where: "body" | "query" | "params",
) {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw invalidRequest(where, result.error);
  return result.data;
}

/** Bearer-token authentication; tokens in the URL are refused (they end up in logs). */
function authenticate(deps: ApiDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if ("access_token" in req.query || "token" in req.query) {
      return sendError(
        res,
        new ApiError(
          400,
          "token_in_url",
          "send the token in the Authorization header, not the URL",
          "query.access_token",
        ),
      );
    }
    const [scheme, token] = (req.get("authorization") ?? "").split(" ");
    const caller =
      scheme === "Bearer" && token ? await principalForToken(deps.db, token) : undefined;
    if (!caller) {
      res.set("WWW-Authenticate", 'Bearer realm="berdaya"');
      return sendError(res, new ApiError(401, "unauthorized", "a valid bearer token is required"));
    }
    res.locals.caller = caller;
    next();
  };
}

/** The REST API under /api/v1, one route per endpoint, and its OpenAPI document. */
export function apiRoutes(deps: ApiDeps, endpoints: readonly Endpoint[]): Router {
  const router = Router();
  const document = openApiDocument(endpoints, deps.publicUrl);
  router.get(`${base}/openapi.json`, (_req, res) => {
    res.json(document);
  });
  router.use(base, authenticate(deps));
  for (const endpoint of endpoints) {
    router[endpoint.method](`${base}${endpoint.path}`, async (req, res, next) => {
      try {
        const result = await endpoint.handler({
          params: check(endpoint.params, req.params, "params"),
          query: check(endpoint.query, req.query, "query"),
          body: check(endpoint.body, req.body, "body"),
          caller: res.locals.caller as Staff,
          db: deps.db,
          now: deps.clock(),
          wakeDelivery: deps.wakeDelivery,
          offerTtlMs: deps.offerTtlMs,
        });
        res.status(endpoint.status ?? 200).json(result);
      } catch (error) {
        if (error instanceof ApiError) sendError(res, error);
        else next(error);
      }
    });
  }
  router.use(base, (_req, res) =>
    sendError(res, new ApiError(404, "not_found", "no such endpoint")),
  );
  return router;
}
