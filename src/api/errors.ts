import type { z } from "zod";

/** An answer other than success: the status, a stable code, and the field at fault if any. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);

/** The first problem zod found, named by where it is: `body.title`, `query.limit`. */
export function invalidRequest(where: "body" | "query" | "params", error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const field = [where, ...(issue?.path ?? []).map(String)].join(".");
  return new ApiError(400, "invalid_request", issue?.message ?? "invalid value", field);
}
