import { z } from "zod";
import type { SessionInput, SessionProblem } from "../../domain/manage/sessions.js";
import { formatTime, makassarDate, makassarTimeToInstant } from "../../engine/format.js";
import { type FieldErrors, inputField } from "../forms.js";
import { html, type SafeHtml } from "../html.js";

const wallClock = /^(\d{2}:\d{2})(:\d{2})?$/;

const time = (label: string) =>
  z.string().regex(wallClock, { error: `Isi ${label}, misalnya 08:00.` });

/** Date and WITA times as typed; turned into instants (or an error on the date field). */
export const sessionForm = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Isi tanggal sesi." }),
    start: time("jam mulai"),
    end: time("jam selesai"),
    place: z.string().trim().max(300, { error: "Paling banyak 300 karakter." }).default(""),
    whatToBring: z.string().trim().max(300, { error: "Paling banyak 300 karakter." }).default(""),
  })
  .transform((form, ctx): SessionInput => {
    try {
      const at = (clock: string) => makassarTimeToInstant(form.date, clock.slice(0, 5));
      return {
        startsAt: at(form.start),
        endsAt: at(form.end),
        place: form.place,
        whatToBring: form.whatToBring,
      };
    } catch {
      ctx.issues.push({
        code: "custom",
        path: ["date"],
        message: "Tanggal atau jam ini tidak ada.",
        input: form,
      });
      return z.NEVER;
    }
  });

export type SessionFormValues = Record<string, string | undefined>;

/** The form's values for a stored session (WITA wall clock). */
export function valuesOfSession(session: SessionInput): SessionFormValues {
  const clock = (instant: Date) => formatTime(instant).slice(0, 5).replace(".", ":");
  return {
    date: makassarDate(session.startsAt),
    start: clock(session.startsAt),
    end: clock(session.endsAt),
    place: session.place,
    whatToBring: session.whatToBring,
  };
}

export function sessionProblemMessage(problem: SessionProblem): FieldErrors {
  switch (problem.reason) {
    case "in_past":
      return { date: "Waktu mulai sudah lewat. Pilih tanggal dan jam yang akan datang." };
    case "ends_before_start":
      return { end: "Jam selesai harus setelah jam mulai." };
    case "cancelled":
      return { _form: "Sesi yang sudah dibatalkan tidak bisa dipindah." };
  }
}

/** The fields of the add and move forms (times in WITA). */
export function sessionFields(values: SessionFormValues, errors: FieldErrors): SafeHtml {
  return html`${errors._form ? html`<p class="field-error">${errors._form}</p>` : ""}
${inputField({ name: "date", label: "Tanggal", type: "date", value: values.date, error: errors.date, required: true })}
${inputField({ name: "start", label: "Jam mulai (WITA)", type: "time", value: values.start, error: errors.start, required: true })}
${inputField({ name: "end", label: "Jam selesai (WITA)", type: "time", value: values.end, error: errors.end, required: true })}
${inputField({ name: "place", label: "Tempat (kosongkan bila sama dengan tempat program)", value: values.place, error: errors.place })}
${inputField({ name: "whatToBring", label: "Yang perlu dibawa", value: values.whatToBring, error: errors.whatToBring })}`;
}
