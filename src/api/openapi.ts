import { z } from "zod";
import type { Endpoint } from "./endpoint.js";

const errorSchema = z.object({
  error: z.string().describe("A stable code: invalid_request, unauthorized, not_found …"),
  message: z.string(),
  field: z.string().optional().describe("Where the problem is: body.title, query.limit …"),
});

const jsonSchema = (schema: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(schema, { io, unrepresentable: "any" });

function parameters(schema: z.ZodType | undefined, location: "path" | "query") {
  if (!schema) return [];
  const json = jsonSchema(schema, "input") as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || (json.required ?? []).includes(name),
    schema: property,
  }));
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: jsonSchema(errorSchema, "output") } },
});

/** The OpenAPI 3.1 document for the endpoints, built from the same zod schemas they check with. */
export function openApiDocument(endpoints: readonly Endpoint[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of endpoints) {
    const path = endpoint.path.replace(/:(\w+)/g, "{$1}");
    paths[path] ??= {};
    paths[path][endpoint.method] = {
      tags: [endpoint.tag],
      summary: endpoint.summary,
      parameters: [...parameters(endpoint.params, "path"), ...parameters(endpoint.query, "query")],
      ...(endpoint.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: jsonSchema(endpoint.body, "input") } },
            },
          }
        : {}),
      responses: {
        [String(endpoint.status ?? 200)]: {
          description: "OK",
          content: { "application/json": { schema: jsonSchema(endpoint.response, "output") } },
        },
        "400": errorResponse("The request names the field that is wrong"),
        "401": errorResponse("Missing, unknown or revoked bearer token"),
        "404": errorResponse("Not found, or not of the token's organisation"),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Berdaya API",
      version: "1",
      description:
        "Programmes, sessions, registrations, needs, contacts and broadcasts of one organisation. Authenticate with `Authorization: Bearer <token>` (tokens are created in the console, under Token API).",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths,
  };
}
