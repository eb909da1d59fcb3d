import { asc, eq } from "drizzle-orm";
import { channelLabels } from "../../channels/contract.js";
import type { Db } from "../../db/client.js";
import {
  areas,
  channelNames,
  programmes,
  type RegistrationStatus,
  registrationStatuses,
} from "../../db/schema/index.js";
import type { BroadcastAudience } from "../../domain/broadcasts/index.js";
import { vulnerableGroups } from "../../domain/groups.js";
import { isAdmin, type Staff } from "../../staff/principal.js";
import { checkboxesField, type FieldErrors, listOfValues, selectField } from "../forms.js";
import { html, type SafeHtml } from "../html.js";

/** The audience builder of Pengumuman: its form fields, and how an audience reads to staff. */

export const registrationStatusLabels: Readonly<Record<RegistrationStatus, string>> = {
  registered: "Terdaftar",
  waitlisted: "Daftar tunggu",
  offered: "Ditawari kursi",
  cancelled: "Batal",
  completed: "Selesai",
};

/** What the form offers: the organisation's programmes and the areas of Balikpapan. */
export interface AudienceChoices {
  programmes: { id: number; label: string }[];
  kecamatan: { code: string; name: string }[];
  kelurahan: { code: string; name: string; parent: string | null }[];
}

export async function audienceChoices(db: Db, staff: Staff): Promise<AudienceChoices> {
  const owned = await db
    .select({ id: programmes.id, code: programmes.code, title: programmes.title })
    .from(programmes)
    .where(eq(programmes.organisationId, staff.organisationId))
    .orderBy(asc(programmes.code));
  const places = await db
    .select({ code: areas.code, name: areas.name, kind: areas.kind, parent: areas.parentCode })
    .from(areas)
    .orderBy(asc(areas.name));
  return {
    programmes: owned.map((p) => ({ id: p.id, label: `${p.code} · ${p.title}` })),
    kecamatan: places.filter((a) => a.kind === "kecamatan"),
    kelurahan: places.filter((a) => a.kind === "kelurahan"),
  };
}

/** The audience as the form posted it (checked later by the domain). */
export function audienceFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const programme = typeof body.programmeId === "string" ? body.programmeId.trim() : "";
  return {
    ...(programme ? { programmeId: Number(programme) } : {}),
    registrationStatuses: listOfValues(body.registrationStatuses),
    kecamatan: listOfValues(body.kecamatan),
    kelurahan: listOfValues(body.kelurahan),
    groups: listOfValues(body.groups),
    channels: listOfValues(body.channels),
  };
}

/** The audience fields, showing what was chosen and any error. */
export function audienceFields(
  choices: AudienceChoices,
  body: Record<string, unknown>,
  errors: FieldErrors,
  staff: Staff,
): SafeHtml {
  const everyone = isAdmin(staff)
    ? "Semua warga (tanpa syarat program)"
    : "Peserta semua program organisasi ini";
  return html`<fieldset class="stack"><legend>Penerima</legend>
<p class="muted">Setiap pilihan mempersempit penerima; pilihan yang kosong tidak menyaring. Warga yang mengetik BERHENTI, belum memberi persetujuan, atau sudah menghapus data tidak pernah menerima pengumuman.</p>
${selectField({
  name: "programmeId",
  label: "Program",
  value: typeof body.programmeId === "string" ? body.programmeId : "",
  error: errors.programmeId,
  choices: [
    { value: "", label: everyone },
    ...choices.programmes.map((p) => ({ value: String(p.id), label: p.label })),
  ],
})}
${checkboxesField({
  name: "registrationStatuses",
  label: "Status pendaftaran (bila kosong: terdaftar)",
  values: listOfValues(body.registrationStatuses),
  error: errors.registrationStatuses,
  choices: registrationStatuses.map((s) => ({ value: s, label: registrationStatusLabels[s] })),
})}
${checkboxesField({
  name: "kecamatan",
  label: "Kecamatan",
  values: listOfValues(body.kecamatan),
  error: errors.kecamatan,
  choices: choices.kecamatan.map((a) => ({ value: a.code, label: a.name })),
})}
<details${listOfValues(body.kelurahan).length > 0 || errors.kelurahan ? html` open` : ""}><summary>Kelurahan (${choices.kelurahan.length})</summary>
${checkboxesField({
  name: "kelurahan",
  label: "Kelurahan (ditambahkan ke kecamatan yang dipilih)",
  values: listOfValues(body.kelurahan),
  error: errors.kelurahan,
  choices: choices.kelurahan.map((a) => ({ value: a.code, label: a.name })),
})}
</details>
${checkboxesField({
  name: "groups",
  label: "Kelompok rentan (salah satu)",
  values: listOfValues(body.groups),
  error: errors.groups,
  choices: vulnerableGroups.map((g) => ({ value: g.id, label: g.label })),
})}
${checkboxesField({
  name: "channels",
  label: "Saluran",
  values: listOfValues(body.channels),
  error: errors.channels,
  choices: channelNames.map((c) => ({ value: c, label: channelLabels[c] })),
})}
</fieldset>`;
}

/** "Peserta MJH01 · Menjahit (terdaftar) · Kec. Balikpapan Timur · Telegram", in Indonesian. */
export function describeAudience(audience: BroadcastAudience, choices: AudienceChoices): string {
  const parts: string[] = [];
  const statuses = (audience.registrationStatuses ?? []).map((s) => registrationStatusLabels[s]);
  if (audience.programmeId !== undefined) {
    const programme = choices.programmes.find((p) => p.id === audience.programmeId);
    parts.push(`Peserta ${programme?.label ?? `program #${audience.programmeId}`}`);
  } else if (statuses.length > 0) {
    parts.push("Peserta semua program");
  }
  if (statuses.length > 0) parts.push(`status: ${statuses.join(", ").toLowerCase()}`);
  const nameOf = (list: { code: string; name: string }[], code: string) =>
    list.find((a) => a.code === code)?.name ?? code;
  const places = [
    ...(audience.kecamatan ?? []).map((code) => `Kec. ${nameOf(choices.kecamatan, code)}`),
    ...(audience.kelurahan ?? []).map((code) => `Kel. ${nameOf(choices.kelurahan, code)}`),
  ];
  if (places.length > 0) parts.push(places.join(" + "));
  const groups = (audience.groups ?? []).map(
    (id) => vulnerableGroups.find((g) => g.id === id)?.label ?? id,
  );
  if (groups.length > 0) parts.push(`kelompok: ${groups.join(", ")}`);
  if ((audience.channels ?? []).length > 0) {
    parts.push(`lewat ${(audience.channels ?? []).map((c) => channelLabels[c]).join(", ")}`);
  }
  return parts.length > 0 ? parts.join(" · ") : "Semua warga";
}
