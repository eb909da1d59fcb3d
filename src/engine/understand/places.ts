/**
 * Understanding where a resident lives: a kecamatan or kelurahan of Balikpapan, typed as its
 * number in the list shown, its name, a common spelling, or with one typo.
 */
import { type ChoiceOption, matchChoice } from "./match.js";

export type Area = { code: string; name: string; aliases: string[] };

export type AreaResult =
  | { kind: "matched"; code: string }
  | { kind: "ambiguous"; codes: string[] }
  | { kind: "none" };

/**
 * Words that only say "this is a place" ("kel. sepinggan", "kecamatan balikpapan timur", "di
 * daerah gn bahagia"). The lexicon reads "gn" as "gunung" and "sei" as "sungai".
 */
const PLACE_WORDS =
  /(?<![\p{L}\p{N}])(?:kelurahan|kecamatan|kel|kec|kelr|desa|daerah|wilayah|alamat|rumah|perumahan|komplek|kompleks)(?![\p{L}\p{N}])/giu;

/**
 * The area a message names, among `areas` in the order they were shown. "Graha Indah" is a place
 * here: "indah" is a refusal only in `matchYesNo`.
 */
export function matchArea(text: string, areas: readonly Area[]): AreaResult {
  const options: ChoiceOption[] = areas.map((area) => ({
    id: area.code,
    label: area.name,
    aliases: area.aliases,
  }));
  const result = matchChoice(text.replace(PLACE_WORDS, " "), options);
  switch (result.kind) {
    case "matched":
      return { kind: "matched", code: result.id };
    case "ambiguous":
      return { kind: "ambiguous", codes: result.ids };
    case "none":
      return { kind: "none" };
  }
}
