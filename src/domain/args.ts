import { z } from "zod";

/**
 * Argument schemas for actions. Flows pass values after interpolation, so a number may arrive as
 * text ("3"), a yes/no as "true" or "ya", a list as "a,b", and an unset optional value as "" or
 * null: each schema accepts those forms and yields the typed value.
 */

const empty = (value: unknown): boolean => value === undefined || value === null || value === "";

/** A database id: 3 or "3". */
export const id = z.coerce.number().int().positive();

/** An id that may be absent: "", null or missing is null. */
export const nullableId = z.preprocess((value) => (empty(value) ? null : value), id.nullable());

/** A code or text that may be absent: "", null or missing is null. */
export const nullableText = z.preprocess(
  (value) => (empty(value) ? null : value),
  z.string().trim().nullable(),
);

/** Optional text: "", null or missing is undefined. */
export const optionalText = z.preprocess(
  (value) => (empty(value) ? undefined : value),
  z.string().trim().optional(),
);

const flagWords: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  ya: true,
  yes: true,
  tidak: false,
  no: false,
};

/** true/false, also as "true", "false", "ya", "yes", "tidak", "no". */
export const flag = z.preprocess(
  (value) => (typeof value === "string" ? (flagWords[value.trim().toLowerCase()] ?? value) : value),
  z.boolean(),
);

/** A list of ids from a fixed set: an array, or "a,b" as text; missing is empty. */
export function idList<const Ids extends readonly [string, ...string[]]>(ids: Ids) {
  return z.preprocess(
    (value) => {
      if (empty(value)) return [];
      if (typeof value === "string") return value.split(",").map((part) => part.trim());
      return value;
    },
    z.array(z.enum(ids)),
  );
}

/** A mobile number in E.164, as the phone question saves it: "+6281234567890". */
export const e164 = z.string().regex(/^\+[1-9]\d{7,14}$/, { error: "expected an E.164 number" });
