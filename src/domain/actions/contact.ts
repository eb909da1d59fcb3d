import { z } from "zod";
import { type ActionRegistry, defineAction } from "../action.js";
import { e164, flag, idList, optionalText } from "../args.js";
import { assistanceReasons, requestAssistance } from "../assistance.js";
import { withdrawAnnouncements } from "../broadcasts/index.js";
import { contactStatus, recordConsent, saveProfile, setAnnouncements } from "../contacts.js";
import { eraseContact } from "../erasure.js";
import { exportText } from "../export.js";
import { disabilityTypeIds, vulnerableGroupIds } from "../groups.js";

/** Who the resident is, consent, profile, their rights (DATA SAYA, HAPUS DATA) and announcements. */
export const contactActions: ActionRegistry = {
  "contact.status": defineAction({
    alongsideOthers: true,
    args: z.object({}),
    async run({ tx, contactId }) {
      const status = await contactStatus(tx, contactId);
      return {
        is_new: status.isNew,
        consent: status.consent,
        name: status.name,
        profile_complete: status.profileComplete,
        phone_known: status.phoneKnown,
        kecamatan_code: status.kecamatanCode,
        kecamatan_name: status.kecamatanName,
        kelurahan_code: status.kelurahanCode,
        kelurahan_name: status.kelurahanName,
        announcements_on: status.announcementsOn,
      };
    },
  }),

  "consent.record": defineAction({
    alongsideOthers: true,
    args: z.object({ granted: flag, text: z.string().min(1) }),
    async run({ tx, contactId, channel, now }, { granted, text }) {
      await recordConsent(tx, { contactId, channel, granted, text, now });
      return { ok: true };
    },
  }),

  "profile.save": defineAction({
    alongsideOthers: true,
    args: z.object({
      name: z.string().trim().min(1),
      kecamatan: z.string().trim().min(1),
      kelurahan: z.string().trim().min(1),
      groups: idList(vulnerableGroupIds),
      disability_types: idList(disabilityTypeIds).optional(),
      phone: optionalText.pipe(e164.optional()),
    }),
    async run({ tx, contactId }, args) {
      await saveProfile(tx, contactId, {
        name: args.name,
        kecamatan: args.kecamatan,
        kelurahan: args.kelurahan,
        groups: args.groups,
        disabilityTypes: args.disability_types,
        phone: args.phone,
      });
      return { ok: true };
    },
  }),

  "contact.export": defineAction({
    alongsideOthers: true,
    args: z.object({}),
    async run({ tx, contactId, organisationName }) {
      return { text: await exportText(tx, { contactId, organisationName }) };
    },
  }),

  "contact.erase": defineAction({
    /**
     * `farewell` is sent to the address the erasure came from: a reply after the step would go
     * to the erased contact and is not sent (see eraseContact).
     */
    args: z.object({ farewell: z.string().min(1) }),
    async run({ tx, contactId, identityId, inboundId, now, replyQueued }, { farewell }) {
      await eraseContact(tx, {
        contactId,
        now,
        farewell: { identityId, inboundId, text: farewell },
      });
      replyQueued?.();
      return { ok: true };
    },
  }),

  "announcements.opt_out": defineAction({
    alongsideOthers: true,
    args: z.object({}),
    async run({ tx, contactId, now }) {
      const result = await setAnnouncements(tx, contactId, false, now);
      await withdrawAnnouncements(tx, contactId);
      return result;
    },
  }),

  "announcements.opt_in": defineAction({
    alongsideOthers: true,
    args: z.object({}),
    run: ({ tx, contactId, now }) => setAnnouncements(tx, contactId, true, now),
  }),

  "assistance.request": defineAction({
    args: z.object({ reason: z.enum(assistanceReasons) }),
    async run({ tx, contactId, now }, { reason }) {
      await requestAssistance(tx, { contactId, reason, now });
      return { ok: true };
    },
  }),
};
