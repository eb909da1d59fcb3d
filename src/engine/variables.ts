import type { Json } from "./json.js";

/** Variables every flow can use without setting them. */
export const builtinVariables = [
  /** Who runs the service (ORGANISATION_NAME). */
  "organisation_name",
  /** The message that started the flow, e.g. "daftar menjahit". */
  "start_text",
  /**
   * Why the flow started: "trigger" (its word, or a hand-off from another flow), "command"
   * (a global word), "not_understood" (the menu after a message the bot did not understand).
   */
  "start_reason",
  /** The text of the resident's latest message. */
  "message_text",
] as const;

const reference = /\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)\}/g;

/** The variable names (first path segment) a template refers to. */
export function referencedVariables(template: string): string[] {
  return [...template.matchAll(reference)].map((match) => (match[1] ?? "").split(".")[0] ?? "");
}

/** The value at a dotted path ("status.consent") in the variables, or undefined. */
export function lookup(variables: Readonly<Record<string, Json>>, path: string): Json | undefined {
  let value: Json | undefined = variables as Json;
  for (const segment of path.split(".")) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    value = value[segment];
  }
  return value;
}

function display(value: Json | undefined): string {
  if (value === undefined || value === null) return "-";
  if (Array.isArray(value)) return value.map((item) => display(item)).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  if (typeof value === "boolean") return value ? "ya" : "tidak";
  return String(value);
}

/** Fills {variable} references in a text. */
export function fillText(template: string, variables: Readonly<Record<string, Json>>): string {
  return template.replace(reference, (_, path: string) => display(lookup(variables, path)));
}

/**
 * Fills an action argument or `set` value: a string that is exactly one "{variable}" passes the
 * value as it is (list, number, null); other strings are filled in; objects and lists recurse.
 */
export function fillValue(value: unknown, variables: Readonly<Record<string, Json>>): Json {
  if (typeof value === "string") {
    const whole = /^\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)\}$/.exec(value);
    if (whole?.[1]) return lookup(variables, whole[1]) ?? null;
    return fillText(value, variables);
  }
  if (Array.isArray(value)) return value.map((item) => fillValue(item, variables));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fillValue(item, variables)]),
    );
  }
  return (value ?? null) as Json;
}

/** Every variable a step refers to, in any of its texts or fields. */
export function variablesUsedIn(value: unknown): string[] {
  if (typeof value === "string") return referencedVariables(value);
  if (Array.isArray(value)) return value.flatMap(variablesUsedIn);
  if (value !== null && typeof value === "object") {
    return Object.values(value).flatMap(variablesUsedIn);
  }
  return [];
}
