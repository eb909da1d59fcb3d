import { readFileSync } from "node:fs";
import type { Area } from "./understand/index.js";

interface Wilayah {
  kecamatan: (Area & { kelurahan: Area[] })[];
}

/** The 6 kecamatan and 34 kelurahan of Kota Balikpapan (Kemendagri codes, common spellings). */
export const wilayah = JSON.parse(
  readFileSync(new URL("../db/balikpapan-wilayah.json", import.meta.url), "utf8"),
) as Wilayah;

/** The 6 kecamatan of Balikpapan, in the reference order (numbered 1–6 for residents). */
export const kecamatanList: readonly Area[] = wilayah.kecamatan.map(({ code, name }) => ({
  code,
  name,
  aliases: [],
}));

/** The kelurahan of one kecamatan; empty for an unknown code. */
export function kelurahanOf(kecamatanCode: string): readonly Area[] {
  return wilayah.kecamatan.find((k) => k.code === kecamatanCode)?.kelurahan ?? [];
}
