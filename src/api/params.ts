import { z } from "zod";

/** `:id` in a path: a positive whole number. */
export const idParams = z.object({ id: z.coerce.number().int().positive() });
