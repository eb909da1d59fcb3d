import { z } from "zod";
import type { Db } from "../../db/client.js";
import { needStatuses } from "../../db/schema/index.js";
import { listAreas } from "../../domain/contacts.js";
import { needCategories } from "../../domain/groups.js";
import type { NeedFilters } from "../../domain/need-reports.js";
import { needStatusLabels } from "../../domain/needs.js";
import { makassarTimeToInstant } from "../../engine/format.js";
import { type FieldErrors, inputField, selectField } from "../forms.js";
import { html, type SafeHtml } from "../html.js";

const blankIsMissing = (value: unknown) => (value === "" ? undefined : value);
const choice = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsMissing, schema.optional());

const dateOnly = choice(
  z.string().refine(
    (text) => {
      try {
        makassarTimeToInstant(text, "00:00");
        return true;
      } catch {
        return false;
      }
    },
    { error: "Pilih tanggal yang benar, misalnya 2026-11-30." },
  ),
);

/** The Laporan list's filters as they come in the query string (`?status=&kategori=…`). */
const filterQuery = z.object({
  status: choice(z.enum(needStatuses, { error: "Pilih status dari daftar." })),
  kategori: choice(z.string().max(50)),
  kecamatan: choice(z.string().max(20)),
  kelurahan: choice(z.string().max(20)),
  dari: dateOnly,
  sampai: dateOnly,
});

export type FilterQuery = z.output<typeof filterQuery>;

export interface ReadFilters {
  /** What the staff member chose, to show in the form and keep in links. */
  query: Record<keyof FilterQuery, string | undefined>;
  filters: NeedFilters;
  errors: FieldErrors;
}

const fields = ["status", "kategori", "kecamatan", "kelurahan", "dari", "sampai"] as const;
const dayMs = 24 * 3_600_000;

/** Reads the filters; a wrong value is reported next to its field and left out of the filter. */
export function readFilters(raw: Record<string, unknown>): ReadFilters {
  const typed = Object.fromEntries(
    fields.map((name) => [name, typeof raw[name] === "string" ? raw[name] : undefined]),
  ) as ReadFilters["query"];
  const errors: Record<string, string> = {};
  const data: Record<string, unknown> = {};
  for (const name of fields) {
    const result = filterQuery.shape[name].safeParse(typed[name]);
    if (result.success) data[name] = result.data;
    else errors[name] = result.error.issues[0]?.message ?? "Pilihan ini tidak sah.";
  }
  const chosen = data as FilterQuery;
  return {
    query: typed,
    errors,
    filters: {
      status: chosen.status,
      category: chosen.kategori,
      kecamatan: chosen.kecamatan,
      kelurahan: chosen.kelurahan,
      from: chosen.dari ? makassarTimeToInstant(chosen.dari, "00:00") : undefined,
      until: chosen.sampai
        ? new Date(makassarTimeToInstant(chosen.sampai, "00:00").getTime() + dayMs)
        : undefined,
    },
  };
}

const all = { value: "", label: "Semua" };

/** The filter form (GET, so the filtered list has its own address). */
export async function filterForm(db: Db, read: ReadFilters): Promise<SafeHtml> {
  const areas = await listAreas(db);
  const { query, errors } = read;
  return html`<form method="get" action="/console/laporan" class="toolbar">
${selectField({ name: "status", label: "Status", value: query.status, error: errors.status, choices: [all, ...needStatuses.map((s) => ({ value: s, label: needStatusLabels[s] }))] })}
${selectField({ name: "kategori", label: "Kategori", value: query.kategori, error: errors.kategori, choices: [all, ...needCategories.map((c) => ({ value: c.id, label: c.label }))] })}
${selectField({ name: "kecamatan", label: "Kecamatan", value: query.kecamatan, error: errors.kecamatan, choices: [all, ...areas.filter((a) => a.kind === "kecamatan").map((a) => ({ value: a.code, label: a.name }))] })}
${selectField({ name: "kelurahan", label: "Kelurahan", value: query.kelurahan, error: errors.kelurahan, choices: [all, ...areas.filter((a) => a.kind === "kelurahan").map((a) => ({ value: a.code, label: a.name }))] })}
${inputField({ name: "dari", label: "Dari tanggal", type: "date", value: query.dari, error: errors.dari })}
${inputField({ name: "sampai", label: "Sampai tanggal", type: "date", value: query.sampai, error: errors.sampai })}
<button type="submit">Saring</button>
<a href="/console/laporan">Hapus saringan</a>
</form>`;
}
