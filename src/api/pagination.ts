import { z } from "zod";

/** `?limit=&offset=` on every list: at most 100 per page. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export type PageQuery = z.output<typeof pageQuery>;

/** The shape of every list answer: one page of items and where it sits in the whole. */
export function pageOf<Item extends z.ZodType>(item: Item) {
  return z.object({
    data: z.array(item),
    pagination: z.object({ limit: z.number(), offset: z.number(), total: z.number() }),
  });
}

export function page<T>(data: T[], total: number, query: PageQuery) {
  return { data, pagination: { limit: query.limit, offset: query.offset, total } };
}
