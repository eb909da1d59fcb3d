import wilayah from "../../src/db/balikpapan-wilayah.json" with { type: "json" };
import type { Area } from "../../src/engine/understand/places.js";

/** The 34 kelurahan of Balikpapan, in the order of the reference data. */
export const KELURAHAN: Area[] = wilayah.kecamatan.flatMap((k) => k.kelurahan);

/** The 6 kecamatan. */
export const KECAMATAN: Area[] = wilayah.kecamatan.map((k) => ({
  code: k.code,
  name: k.name,
  aliases: [],
}));

/** The code of the area called exactly `name`. */
export function codeOf(name: string): string {
  const area = [...KELURAHAN, ...KECAMATAN].find((a) => a.name === name);
  if (area === undefined) throw new Error(`no area ${name}`);
  return area.code;
}
