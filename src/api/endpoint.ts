import type { z } from "zod";
import type { Db } from "../db/client.js";
import type { Staff } from "../staff/principal.js";

export type Method = "get" | "post" | "patch" | "delete";

/** What an endpoint's handler gets: the checked input and who is calling. */
export interface EndpointInput<Params, Query, Body> {
  params: Params;
  query: Query;
  body: Body;
  /** The organisation the bearer token belongs to (staff rights, scoped to it). */
  caller: Staff;
  db: Db;
  now: Date;
  /** Wakes the delivery worker after the handler queued messages. */
  wakeDelivery: () => void;
  /** How long a resident offered a freed seat has to accept it (OFFER_TTL). */
  offerTtlMs: number;
}

/**
 * One REST endpoint, described once: the router checks the input against these zod schemas and
 * the OpenAPI document is generated from the same schemas.
 */
export interface Endpoint<
  Params extends z.ZodType = z.ZodType,
  Query extends z.ZodType = z.ZodType,
  Body extends z.ZodType = z.ZodType,
  Response extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** Express-style, under /api/v1: "/programmes/:id". */
  path: string;
  tag: string;
  summary: string;
  params?: Params;
  query?: Query;
  body?: Body;
  response: Response;
  /** 200 by default; 201 for creation. */
  status?: 200 | 201 | 202;
  handler: (
    input: EndpointInput<z.output<Params>, z.output<Query>, z.output<Body>>,
  ) => Promise<z.input<Response>>;
}

/** Declares an endpoint with its types inferred from the schemas. */
export function endpoint<
  Params extends z.ZodType = z.ZodType,
  Query extends z.ZodType = z.ZodType,
  Body extends z.ZodType = z.ZodType,
  Response extends z.ZodType = z.ZodType,
>(definition: Endpoint<Params, Query, Body, Response>): Endpoint {
  return definition as unknown as Endpoint;
}
