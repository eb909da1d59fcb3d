import { describe, expect, it } from "vitest";
import { matchArea } from "../../src/engine/understand/places.js";
import { codeOf, KECAMATAN, KELURAHAN } from "./areas.js";

describe("matchArea: kelurahan", () => {
  it("has the reference data", () => {
    expect(KELURAHAN).toHaveLength(34);
  });

  it.each(KELURAHAN.map((k) => k.name))("its own name %j", (name) => {
    expect(matchArea(name, KELURAHAN)).toEqual({ kind: "matched", code: codeOf(name) });
  });

  it.each([
    ["graha indah", "Graha Indah"],
    ["indah", "Graha Indah"],
    ["Kel. Sepinggan", "Sepinggan"],
    ["kelurahan sepinggan baru", "Sepinggan Baru"],
    ["sepingan", "Sepinggan"],
    ["gn samarinda", "Gunung Samarinda"],
    ["Gn. Samarinda Baru", "Gunung Samarinda Baru"],
    ["gunungsari ulu", "Gunung Sari Ulu"],
    ["gn sari ilir", "Gunung Sari Ilir"],
    ["sungai nangka", "Sungainangka"],
    ["sungainangka", "Sungainangka"],
    ["sei nangka", "Sungainangka"],
    ["damai", "Damai"],
    ["damai bahagia", "Damai Bahagia"],
    ["muararapak", "Muara Rapak"],
    ["mura rapak", "Muara Rapak"],
    ["lemaru", "Lamaru"],
    ["margomulyo", "Margo Mulyo"],
    ["mangar", "Manggar"],
    ["telagasari", "Telaga Sari"],
    ["di baru ilir pak", "Baru Ilir"],
    ["karang joang rt 12", "Karang Joang"],
    ["3", "Teritip"],
    ["no 34", "Damai"],
  ])("%j → %s", (text, name) => {
    expect(matchArea(text, KELURAHAN)).toEqual({ kind: "matched", code: codeOf(name) });
  });

  it.each([
    ["samarinda", ["Gunung Samarinda", "Gunung Samarinda Baru"]],
    ["klandasan", ["Klandasan Ulu", "Klandasan Ilir"]],
    ["sepinggan atau damai", ["Sepinggan", "Damai"]],
    // shares a word with two kelurahan: the bot asks which one, and the resident can say neither
    ["samarinda seberang", ["Gunung Samarinda", "Gunung Samarinda Baru"]],
  ])("%j is ambiguous", (text, names) => {
    expect(matchArea(text, KELURAHAN)).toEqual({ kind: "ambiguous", codes: names.map(codeOf) });
  });

  it.each(["35", "jakarta", "balikpapan", "rt 05", ""])("%j is none", (text) => {
    expect(matchArea(text, KELURAHAN)).toEqual({ kind: "none" });
  });
});

describe("matchArea: kecamatan", () => {
  it.each([
    ["timur", "Balikpapan Timur"],
    ["bpp timur", "Balikpapan Timur"],
    ["kec. balikpapan selatan", "Balikpapan Selatan"],
    ["Kecamatan Balikpapan Utara", "Balikpapan Utara"],
    ["balikpapan brat", "Balikpapan Barat"],
    ["kota", "Balikpapan Kota"],
    ["4", "Balikpapan Tengah"],
    ["enam", "Balikpapan Kota"],
  ])("%j → %s", (text, name) => {
    expect(matchArea(text, KECAMATAN)).toEqual({ kind: "matched", code: codeOf(name) });
  });

  it("finds all six for a bare 'balikpapan'", () => {
    expect(matchArea("balikpapan", KECAMATAN)).toEqual({
      kind: "ambiguous",
      codes: KECAMATAN.map((k) => k.code),
    });
  });
});
