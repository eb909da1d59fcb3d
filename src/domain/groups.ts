/**
 * The fixed lists a resident chooses from: vulnerable groups at registration, disability types
 * (UU 8/2016 Pasal 4) and need categories for LAPOR. Ids are stored; labels are what residents
 * and staff read. The groups are a product choice (BAHASA.md), not an official list. Violence
 * (kekerasan) is not a need category: the flow routes it to a person (assistance request).
 */

export interface Labelled<Id extends string> {
  readonly id: Id;
  readonly label: string;
}

export const vulnerableGroupIds = [
  "disabilitas",
  "lansia",
  "prasejahtera",
  "perempuan_kepala_keluarga",
  "ibu_rumah_tangga",
  "putus_sekolah",
  "pencari_kerja",
  "korban_bencana",
  "lainnya",
] as const;
export type VulnerableGroupId = (typeof vulnerableGroupIds)[number];

const vulnerableGroupLabels: Readonly<Record<VulnerableGroupId, string>> = {
  disabilitas: "Penyandang disabilitas",
  lansia: "Lansia (60+)",
  prasejahtera: "Keluarga prasejahtera (PKH/BPNT/DTKS)",
  perempuan_kepala_keluarga: "Perempuan kepala keluarga",
  ibu_rumah_tangga: "Ibu rumah tangga",
  putus_sekolah: "Anak/remaja putus sekolah",
  pencari_kerja: "Pencari kerja / korban PHK",
  korban_bencana: "Korban bencana",
  lainnya: "Lainnya",
};

export const disabilityTypeIds = ["fisik", "intelektual", "mental", "sensorik"] as const;
export type DisabilityTypeId = (typeof disabilityTypeIds)[number];

const disabilityTypeLabels: Readonly<Record<DisabilityTypeId, string>> = {
  fisik: "Disabilitas fisik",
  intelektual: "Disabilitas intelektual",
  mental: "Disabilitas mental",
  sensorik: "Disabilitas sensorik (netra, rungu, wicara)",
};

export const needCategoryIds = [
  "pendidikan_anak",
  "kesehatan",
  "alat_bantu",
  "pangan",
  "modal_usaha",
  "perumahan",
  "lainnya",
] as const;
export type NeedCategoryId = (typeof needCategoryIds)[number];

const needCategoryLabels: Readonly<Record<NeedCategoryId, string>> = {
  pendidikan_anak: "Pendidikan anak",
  kesehatan: "Kesehatan",
  alat_bantu: "Alat bantu disabilitas",
  pangan: "Pangan",
  modal_usaha: "Pekerjaan / modal usaha",
  perumahan: "Perumahan",
  lainnya: "Lainnya",
};

function listOf<Id extends string>(
  ids: readonly Id[],
  labels: Readonly<Record<Id, string>>,
): readonly Labelled<Id>[] {
  return ids.map((id) => ({ id, label: labels[id] }));
}

/** Offered at registration, in this order; several may apply. */
export const vulnerableGroups = listOf(vulnerableGroupIds, vulnerableGroupLabels);
/** Asked only when the resident chose "disabilitas"; optional, several may apply. */
export const disabilityTypes = listOf(disabilityTypeIds, disabilityTypeLabels);
/** Offered in LAPOR, in this order. */
export const needCategories = listOf(needCategoryIds, needCategoryLabels);

/** The label of a stored id; an id no longer in the list is shown as it is stored. */
function labelOf<Id extends string>(labels: Readonly<Record<Id, string>>, id: string): string {
  return Object.hasOwn(labels, id) ? labels[id as Id] : id;
}

export const groupLabel = (id: string): string => labelOf(vulnerableGroupLabels, id);
export const disabilityTypeLabel = (id: string): string => labelOf(disabilityTypeLabels, id);
export const needCategoryLabel = (id: string): string => labelOf(needCategoryLabels, id);
