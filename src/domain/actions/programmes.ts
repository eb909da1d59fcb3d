import { z } from "zod";
import { formatDateTime } from "../../engine/format.js";
import type { Json } from "../../engine/json.js";
import { type ActionRegistry, defineAction } from "../action.js";
import { id, nullableId, optionalText } from "../args.js";
import { answerOffer, readOfferAnswer } from "../offers.js";
import {
  findProgramme,
  listOpenProgrammes,
  nextSessionAt,
  programmeDetailText,
  programmesNamedIn,
  seatsLabel,
} from "../programmes.js";
import {
  activeStatuses,
  cancelRegistration,
  type MyRegistration,
  myRegistrations,
  register,
  registrationStatusLabel,
} from "../registrations.js";
import { upcomingSchedule } from "../schedule.js";

/** Cancelled registrations shown in "Pendaftaran Anda", most recent first. */
const CANCELLED_SHOWN = 3;

function registrationLine(registration: MyRegistration): string {
  return `${registration.title} — ${registrationStatusLabel(registration)}`;
}

function registrationsText(all: readonly MyRegistration[]): string {
  if (all.length === 0) return "Anda belum terdaftar di program apa pun.";
  const rank = (r: MyRegistration) =>
    activeStatuses.includes(r.status) ? 0 : r.status === "completed" ? 1 : 2;
  const shown = [
    ...all.filter((r) => rank(r) === 0),
    ...all.filter((r) => rank(r) === 1),
    ...all.filter((r) => rank(r) === 2).slice(0, CANCELLED_SHOWN),
  ];
  const lines = ["Pendaftaran Anda:", ...shown.map((r) => `- ${registrationLine(r)}`)];
  if (all.some((r) => r.status === "offered")) {
    lines.push("Ketik TERIMA untuk mengambil kursi yang ditawarkan, atau TOLAK jika tidak jadi.");
  }
  return lines.join("\n");
}

/** Browsing programmes, registering, cancelling, and the schedule. */
export const programmeActions: ActionRegistry = {
  "programmes.list_open": defineAction({
    alongsideOthers: true,
    args: z.object({ query: optionalText }),
    async run({ tx }, { query }) {
      const open = await listOpenProgrammes(tx);
      const named = query === undefined ? [] : programmesNamedIn(query, open);
      const options: Json[] = open.map((p) => ({
        id: String(p.id),
        label: `${p.title} (${seatsLabel(p)})`,
      }));
      return {
        count: open.length,
        options,
        matched_id: named.length === 1 && named[0] ? String(named[0].id) : null,
      };
    },
  }),

  "programmes.detail": defineAction({
    alongsideOthers: true,
    args: z.object({ programme_id: id }),
    async run({ tx }, { programme_id }) {
      const programme = await findProgramme(tx, programme_id);
      if (!programme) {
        return {
          found: false,
          text: "Maaf, program itu tidak ditemukan.",
          title: "",
          full: false,
          open: false,
        };
      }
      return {
        found: true,
        text: programmeDetailText(programme),
        title: programme.title,
        full: programme.seatsLeft === 0,
        open: programme.status === "open",
      };
    },
  }),

  "registrations.create": defineAction({
    args: z.object({ programme_id: id }),
    async run({ tx, contactId, now }, { programme_id }) {
      // Sent together: the first session does not depend on the registration.
      const [registered, first] = await Promise.all([
        register(tx, { contactId, programmeId: programme_id, now }),
        nextSessionAt(tx, programme_id, now),
      ]);
      if (registered.result === "closed") {
        return {
          result: "closed",
          position: null,
          title: registered.title ?? "",
          first_session: null,
        };
      }
      return {
        result: registered.result,
        position: registered.result === "registered" ? null : registered.position,
        title: registered.title,
        first_session: first ? formatDateTime(first) : null,
      };
    },
  }),

  "registrations.mine": defineAction({
    alongsideOthers: true,
    args: z.object({}),
    async run({ tx, contactId }) {
      const all = await myRegistrations(tx, contactId);
      const active = all.filter((r) => activeStatuses.includes(r.status));
      const options: Json[] = active.map((r) => ({ id: String(r.id), label: registrationLine(r) }));
      return { count: active.length, options, text: registrationsText(all) };
    },
  }),

  "registrations.cancel": defineAction({
    args: z.object({ registration_id: id }),
    async run(context, { registration_id }) {
      const { tx, contactId, now } = context;
      const cancelled = await cancelRegistration(tx, {
        contactId,
        registrationId: registration_id,
        now,
        offerTtlMs: context.offerTtlMs,
      });
      return cancelled.result === "cancelled" ? cancelled : { result: "not_found", title: "" };
    },
  }),

  /**
   * TERIMA / TOLAK to a seat offered from the waitlist (flows/tawaran.yaml). `answer_text` is
   * what the resident wrote; with several offers the result is "choose" with `options`, and the
   * flow calls again with the chosen `registration_id`.
   */
  "registrations.answer_offer": defineAction({
    args: z.object({ answer_text: optionalText, registration_id: nullableId }),
    async run(context, { answer_text, registration_id }) {
      const { tx, contactId, now } = context;
      const answer = readOfferAnswer(answer_text ?? "");
      const base = {
        title: "",
        first_session: null,
        options: [],
        answer_word: answer === "decline" ? "tolak" : "terima",
      };
      if (!answer) return { ...base, result: "unclear" };
      const answered = await answerOffer(tx, {
        contactId,
        answer,
        registrationId: registration_id ?? undefined,
        now,
        offerTtlMs: context.offerTtlMs,
      });
      switch (answered.result) {
        case "accepted":
          return {
            ...base,
            result: "accepted",
            title: answered.title,
            first_session: answered.firstSession
              ? formatDateTime(answered.firstSession)
              : "akan kami kabari",
          };
        case "declined":
        case "expired":
          return { ...base, result: answered.result, title: answered.title };
        case "no_offer":
          return { ...base, result: "no_offer" };
        case "choose":
          return {
            ...base,
            result: "choose",
            options: answered.offers.map((offer) => ({
              id: String(offer.registrationId),
              label: `${offer.title} (jawab sebelum ${formatDateTime(offer.expiresAt)})`,
            })),
          };
      }
    },
  }),

  "schedule.upcoming": defineAction({
    alongsideOthers: true,
    args: z.object({}),
    async run({ tx, contactId, now }) {
      const { own, others } = await upcomingSchedule(tx, { contactId, now });
      return { items: [...own, ...others], own_count: own.length };
    },
  }),
};
