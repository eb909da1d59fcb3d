import type { ChoiceOption } from "../../src/engine/understand/match.js";

/** Training courses as the registration flow lists them (BAHASA.md seed data). */
export const COURSES: ChoiceOption[] = [
  { id: "jahit", label: "Menjahit / tata busana", aliases: ["jahit"] },
  { id: "roti", label: "Roti & kue" },
  { id: "rambut", label: "Tata kecantikan rambut", aliases: ["salon"] },
  { id: "barista", label: "Barista", aliases: ["kopi"] },
  { id: "las", label: "Las" },
  { id: "otomotif", label: "Otomotif", aliases: ["bengkel", "montir"] },
  { id: "ac", label: "Teknisi AC" },
  { id: "komputer", label: "Komputer / administrasi perkantoran" },
  { id: "housekeeping", label: "Housekeeping" },
  { id: "barbershop", label: "Barbershop", aliases: ["pangkas rambut", "cukur"] },
];

/** Vulnerable groups offered at registration (BAHASA.md). */
export const GROUPS: ChoiceOption[] = [
  { id: "disabilitas", label: "Penyandang disabilitas" },
  { id: "lansia", label: "Lansia (60+)" },
  { id: "prasejahtera", label: "Keluarga prasejahtera", aliases: ["pkh", "bpnt", "dtks"] },
  { id: "pekka", label: "Perempuan kepala keluarga", aliases: ["janda"] },
  { id: "irt", label: "Ibu rumah tangga", aliases: ["irt"] },
  { id: "putus_sekolah", label: "Anak/remaja putus sekolah" },
  {
    id: "pencari_kerja",
    label: "Pencari kerja / korban PHK",
    aliases: ["nganggur", "pengangguran"],
  },
  { id: "bencana", label: "Korban bencana", aliases: ["banjir", "kebakaran"] },
  { id: "lainnya", label: "Lainnya" },
];

/** Disability types (UU 8/2016 Pasal 4). */
export const DISABILITY_TYPES: ChoiceOption[] = [
  { id: "fisik", label: "Fisik" },
  { id: "intelektual", label: "Intelektual" },
  { id: "mental", label: "Mental" },
  { id: "sensorik", label: "Sensorik", aliases: ["tuli", "netra", "tunanetra", "tunarungu"] },
];

/** Keywords a flow may listen for (BAHASA.md "daftar" and "jadwal" rows). */
export const KEYWORDS = [
  "daftar",
  "registrasi",
  "ikut",
  "gabung",
  "mau ikut",
  "jadwal",
  "kapan",
  "jam berapa",
  "hari apa",
  "tanggal",
  "data saya",
  "pelatihan",
] as const;
