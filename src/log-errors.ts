/**
 * How an error is logged (the `err` field): its type, messages along the `cause` chain, stack
 * frames and a few codes — never the values it carries.
 *
 * Decisions:
 * - A failed Drizzle query (DrizzleQueryError: "Failed query: … params: …") is logged with its
 *   SQL, which has placeholders, and without its parameters: they are names, phone numbers and
 *   what residents wrote.
 * - Only named properties are kept (code, constraint, table, column): database errors also
 *   carry `detail` ("Failing row contains (…)", "Key (phone)=(+62…) already exists"),
 *   `parameters` and `where`, which quote rows.
 * - The stack is its frames only: the first line of `stack` repeats the message.
 */
const keptProperties = [
  "code",
  "constraint",
  "constraint_name",
  "table",
  "table_name",
  "column",
  "column_name",
];
const maxCauses = 5;

export interface LoggedError {
  type: string;
  message: string;
  stack: string;
  [property: string]: string;
}

export function loggedError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const chain: Error[] = [];
  for (let current: unknown = value; current instanceof Error && chain.length < maxCauses; ) {
    chain.push(current);
    current = current.cause;
  }
  const logged: LoggedError = {
    type: value.constructor?.name || value.name,
    message: chain.map(messageOf).join("; caused by: "),
    stack: framesOf(value),
  };
  for (const error of chain) {
    for (const property of keptProperties) {
      const kept = (error as unknown as Record<string, unknown>)[property];
      if (
        logged[property] === undefined &&
        (typeof kept === "string" || typeof kept === "number")
      ) {
        logged[property] = String(kept);
      }
    }
  }
  return logged;
}

function messageOf(error: Error): string {
  const query = (error as { query?: unknown }).query;
  if ("params" in error && typeof query === "string") return `Failed query: ${query}`;
  return error.message;
}

function framesOf(error: Error): string {
  return (error.stack ?? "")
    .split("\n")
    .filter((line) => line.startsWith("    at "))
    .join("\n");
}
