import { z } from "zod";
import { endpoint } from "../endpoint.js";

const organisation = z.object({ id: z.number(), name: z.string() });

/** GET /organisation: which organisation the token acts for (a quick check of a new token). */
export const organisationEndpoints = [
  endpoint({
    method: "get",
    path: "/organisation",
    tag: "Organisation",
    summary: "The organisation this token belongs to",
    response: organisation,
    handler: async ({ caller }) => ({ id: caller.organisationId, name: caller.organisationName }),
  }),
];
