import { z } from "zod";
import { channelLabels } from "../../channels/contract.js";
import { type ActionRegistry, defineAction } from "../action.js";
import { e164 } from "../args.js";
import { confirmLink, findLinkCandidate, startLink } from "../linking.js";

/** One resident on several apps: offer, send a code, link (src/domain/linking.ts). */
export const linkingActions: ActionRegistry = {
  "link.candidate": defineAction({
    alongsideOthers: true,
    args: z.object({ phone: e164 }),
    async run({ tx, contactId }, { phone }) {
      const candidate = await findLinkCandidate(tx, { contactId, phone });
      return candidate
        ? { found: true, channel_label: channelLabels[candidate.channel] }
        : { found: false, channel_label: null };
    },
  }),

  "link.start": defineAction({
    args: z.object({ phone: e164 }),
    async run({ tx, contactId, channel, now, randomCode }, { phone }) {
      const started = await startLink(tx, {
        contactId,
        channel,
        phone,
        now,
        ...(randomCode ? { randomCode } : {}),
      });
      return { sent: started.sent };
    },
  }),

  "link.confirm": defineAction({
    /** What the resident typed; digits are picked out of it ("123 456" is 123456). */
    args: z.object({ code: z.string() }),
    async run({ tx, contactId, now, contactMoved }, { code }) {
      const confirmed = await confirmLink(tx, { contactId, code, now });
      if (confirmed.result === "linked") contactMoved?.(confirmed.targetContactId);
      return { result: confirmed.result };
    },
  }),
};
