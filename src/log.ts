import { pino } from "pino";
import { loggedError } from "./log-errors.js";

/**
 * Field names whose values never reach a log line: what residents wrote, who they are, and
 * secrets. Code should not log them at all; this is the safety net.
 */
const redactedFields = [
  "text",
  "name",
  "phone",
  "displayName",
  "description",
  "password",
  "token",
  "authorization",
  "cookie",
  "secret",
];

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "berdaya" },
      // Errors are logged without the values they quote (log-errors.ts).
      serializers: { err: loggedError },
      redact: {
        paths: redactedFields.flatMap((field) => [field, `*.${field}`]),
        censor: "[redacted]",
      },
    },
    destination,
  );
}
