import { z } from "zod";
import { type ActionRegistry, defineAction } from "../action.js";
import { nullableId, nullableText, optionalText } from "../args.js";
import { needCategoryIds } from "../groups.js";
import { createNeed, needStatusText } from "../needs.js";

/** LAPOR and STATUS. */
export const needActions: ActionRegistry = {
  "needs.create": defineAction({
    args: z.object({
      category: z.enum(needCategoryIds),
      description: z.string().trim().min(1),
      photo_media_id: nullableId,
      kecamatan: nullableText,
      kelurahan: nullableText,
    }),
    async run({ tx, contactId, now }, args) {
      const { ticket } = await createNeed(tx, {
        contactId,
        category: args.category,
        description: args.description,
        photoMediaId: args.photo_media_id,
        kecamatan: args.kecamatan,
        kelurahan: args.kelurahan,
        now,
      });
      return { ticket };
    },
  }),

  "needs.status": defineAction({
    alongsideOthers: true,
    args: z.object({ query: optionalText }),
    async run({ tx, contactId }, { query }) {
      return { text: await needStatusText(tx, contactId, query) };
    },
  }),
};
