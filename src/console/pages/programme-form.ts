import { asc } from "drizzle-orm";
import type { Response } from "express";
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { organisations } from "../../db/schema/index.js";
import { vulnerableGroupIds, vulnerableGroups } from "../../domain/groups.js";
import {
  kelurahanChoices,
  type ManagedProgramme,
  type ProgrammeInput,
  type ProgrammeProblem,
  programmeCategoryIds,
  programmeCategoryLabels,
  programmeCodePattern,
  programmeStatuses,
} from "../../domain/manage/programmes.js";
import {
  checkboxesField,
  type FieldErrors,
  inputField,
  listOfValues,
  selectField,
  textAreaField,
} from "../forms.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField } from "../layout.js";

export const programmeStatusLabels = { draft: "Draf", open: "Dibuka", closed: "Ditutup" } as const;

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `Paling banyak ${max} karakter.` })
    .default("");

/** The programme form as posted; messages are what staff read next to the field. */
export const programmeForm = z.object({
  title: z
    .string()
    .trim()
    .min(1, { error: "Isi judul program." })
    .max(200, { error: "Paling banyak 200 karakter." }),
  code: z.string().trim().toUpperCase().regex(programmeCodePattern, {
    error: "Kode 3–12 huruf atau angka, diawali huruf, tanpa spasi (misalnya MJH03).",
  }),
  category: z.enum(programmeCategoryIds, { error: "Pilih kategori." }),
  organisationId: z.coerce.number().int().positive().optional(),
  description: text(2000),
  place: text(300),
  kelurahanCode: z
    .string()
    .default("")
    .transform((code) => code.trim() || null),
  capacity: z.coerce
    .number({ error: "Isi kuota dengan angka." })
    .int({ error: "Isi kuota dengan bilangan bulat." })
    .min(1, { error: "Kuota minimal 1 kursi." })
    .max(10_000, { error: "Kuota paling banyak 10.000 kursi." }),
  targetGroups: z.preprocess(
    listOfValues,
    z.array(z.enum(vulnerableGroupIds, { error: "Pilih kelompok dari daftar." })),
  ),
  requirements: text(1000),
  accessibilityNotes: text(1000),
  keywords: text(500).transform((keywords) =>
    keywords
      .split(",")
      .map((keyword) => keyword.trim().toLowerCase())
      .filter((keyword) => keyword !== ""),
  ),
  status: z.enum(programmeStatuses, { error: "Pilih status." }),
}) satisfies z.ZodType<ProgrammeInput, unknown>;

/** What the form shows: what the staff member typed, or the programme as stored. */
export type ProgrammeFormValues = Record<string, string | string[] | number | null | undefined>;

export function valuesOfProgramme(programme: ManagedProgramme): ProgrammeFormValues {
  return {
    ...programme,
    keywords: programme.keywords.join(", "),
    targetGroups: programme.targetGroups,
    createdAt: undefined,
    updatedAt: undefined,
    nextSessionAt: undefined,
  };
}

/** A domain refusal, as the message next to its field. */
export function problemMessage(problem: ProgrammeProblem): FieldErrors {
  switch (problem.reason) {
    case "code_taken":
      return { code: "Kode ini sudah dipakai program lain. Pilih kode lain." };
    case "unknown_kelurahan":
      return { kelurahanCode: "Pilih kelurahan dari daftar." };
    case "unknown_organisation":
      return { organisationId: "Pilih organisasi dari daftar." };
    case "below_seats_taken":
      return {
        capacity: `Kuota tidak bisa lebih kecil dari kursi yang sudah terisi (${problem.seatsTaken}). Batalkan pendaftaran di halaman Peserta lebih dulu.`,
      };
  }
}

const str = (value: ProgrammeFormValues[string]) =>
  Array.isArray(value) ? value.join(", ") : (value ?? undefined);

/** The fields of the create and edit forms; administrators also choose the organiser. */
export async function programmeFormHtml(
  db: Db,
  res: Response,
  options: {
    action: string;
    values: ProgrammeFormValues;
    errors: FieldErrors;
    chooseOrganiser: boolean;
    submit: string;
  },
): Promise<SafeHtml> {
  const { values, errors } = options;
  const organisers = options.chooseOrganiser
    ? await db
        .select({ id: organisations.id, name: organisations.name })
        .from(organisations)
        .orderBy(asc(organisations.name))
    : [];
  const kelurahan = await kelurahanChoices(db);
  const field = (name: string, label: string, extra: { hint?: string; required?: boolean } = {}) =>
    inputField({ name, label, value: str(values[name]), error: errors[name], ...extra });
  return html`<form method="post" action="${options.action}" class="stack">
${csrfField(res)}
${errors._form ? html`<p class="field-error">${errors._form}</p>` : ""}
${field("title", "Judul program", { required: true })}
${field("code", "Kode program", { required: true, hint: "Warga mengetik “daftar KODE”, misalnya daftar MJH03." })}
${selectField({
  name: "category",
  label: "Kategori",
  value: str(values.category),
  error: errors.category,
  choices: programmeCategoryIds.map((id) => ({ value: id, label: programmeCategoryLabels[id] })),
})}
${
  options.chooseOrganiser
    ? selectField({
        name: "organisationId",
        label: "Penyelenggara",
        value: str(values.organisationId),
        error: errors.organisationId,
        choices: organisers.map((o) => ({ value: String(o.id), label: o.name })),
      })
    : ""
}
${textAreaField({ name: "description", label: "Deskripsi", value: str(values.description), error: errors.description })}
${field("place", "Tempat")}
${selectField({
  name: "kelurahanCode",
  label: "Kelurahan (tidak wajib)",
  value: str(values.kelurahanCode),
  error: errors.kelurahanCode,
  choices: [{ value: "", label: "—" }, ...kelurahan.map((k) => ({ value: k.code, label: k.name }))],
})}
${inputField({ name: "capacity", label: "Kuota (kursi)", type: "number", value: str(values.capacity), error: errors.capacity, required: true })}
${checkboxesField({
  name: "targetGroups",
  label: "Kelompok sasaran",
  values: listOfValues(values.targetGroups),
  error: errors.targetGroups,
  choices: vulnerableGroups.map((group) => ({ value: group.id, label: group.label })),
})}
${textAreaField({ name: "requirements", label: "Syarat", value: str(values.requirements), error: errors.requirements, rows: 2 })}
${textAreaField({ name: "accessibilityNotes", label: "Catatan aksesibilitas", value: str(values.accessibilityNotes), error: errors.accessibilityNotes, rows: 2 })}
${field("keywords", "Kata kunci", { hint: "Dipisah koma, misalnya: menjahit, jahit. Warga bisa mengetik “daftar menjahit”." })}
${selectField({
  name: "status",
  label: "Status",
  value: str(values.status) ?? "draft",
  error: errors.status,
  choices: programmeStatuses.map((status) => ({
    value: status,
    label: programmeStatusLabels[status],
  })),
})}
<button type="submit">${options.submit}</button>
</form>`;
}
