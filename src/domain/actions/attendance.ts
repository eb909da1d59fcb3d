import { z } from "zod";
import { type ActionRegistry, defineAction } from "../action.js";
import { optionalText } from "../args.js";
import { parseRsvp, recordRsvp } from "../reminders.js";

/** HADIR / TIDAK HADIR in answer to a session reminder (flows/kehadiran.yaml). */
export const attendanceActions: ActionRegistry = {
  /**
   * Records the answer for the resident's next session: from `answer` ("hadir" / "tidak") when
   * given, otherwise read from `answer_text` (what the resident wrote). `result` is "recorded",
   * "no_session" (no upcoming session in a programme they hold a seat in) or "unclear" (the text
   * says neither; nothing recorded).
   */
  "attendance.rsvp": defineAction({
    args: z.object({
      answer_text: optionalText,
      answer: z.preprocess(
        (value) => (value === "" || value === null ? undefined : value),
        z.enum(["hadir", "tidak"]).optional(),
      ),
    }),
    async run({ tx, contactId, now }, args) {
      const answer = args.answer ?? (args.answer_text ? parseRsvp(args.answer_text) : undefined);
      const none = { session: "", registration_id: null, programme_title: "" };
      if (answer === undefined) return { result: "unclear", answer: null, ...none };
      const recorded = await recordRsvp(tx, { contactId, answer, now });
      if (recorded.result === "no_session") return { result: "no_session", answer, ...none };
      return {
        result: "recorded",
        answer,
        session: recorded.session,
        registration_id: recorded.registrationId,
        programme_title: recorded.programmeTitle,
      };
    },
  }),
};
