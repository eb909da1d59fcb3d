import { expect, it } from "vitest";
import { flag, id, idList, nullableId, nullableText, optionalText } from "../../src/domain/args.js";
import {
  disabilityTypes,
  groupLabel,
  needCategories,
  needCategoryIds,
  vulnerableGroups,
} from "../../src/domain/groups.js";

it("accepts action arguments in the forms flows pass after interpolation", () => {
  expect(id.parse("3")).toBe(3);
  expect(id.safeParse("tiga").success).toBe(false);
  expect(nullableId.parse("")).toBeNull();
  expect(nullableId.parse(null)).toBeNull();
  expect(nullableId.parse("12")).toBe(12);
  expect(nullableText.parse("")).toBeNull();
  expect(nullableText.parse(" 64.71.04 ")).toBe("64.71.04");
  expect(optionalText.parse(null)).toBeUndefined();
  expect([true, "true", "ya", "YES"].map((v) => flag.parse(v))).toEqual([true, true, true, true]);
  expect([false, "false", "tidak", "no"].map((v) => flag.parse(v))).toEqual([
    false,
    false,
    false,
    false,
  ]);
  expect(flag.safeParse("mungkin").success).toBe(false);
  const needs = idList(needCategoryIds);
  expect(needs.parse("pangan, kesehatan")).toEqual(["pangan", "kesehatan"]);
  expect(needs.parse(undefined)).toEqual([]);
  expect(needs.safeParse(["kekerasan"]).success).toBe(false);
});

it("labels groups and categories with respectful Indonesian words", () => {
  expect(vulnerableGroups.map((g) => g.label)).toEqual([
    "Penyandang disabilitas",
    "Lansia (60+)",
    "Keluarga prasejahtera (PKH/BPNT/DTKS)",
    "Perempuan kepala keluarga",
    "Ibu rumah tangga",
    "Anak/remaja putus sekolah",
    "Pencari kerja / korban PHK",
    "Korban bencana",
    "Lainnya",
  ]);
  expect(disabilityTypes.map((d) => d.id)).toEqual(["fisik", "intelektual", "mental", "sensorik"]);
  expect(needCategories.map((c) => c.id)).not.toContain("kekerasan");
  expect(groupLabel("ibu_rumah_tangga")).toBe("Ibu rumah tangga");
  expect(groupLabel("kelompok_lama")).toBe("kelompok_lama");
  expect(groupLabel("toString")).toBe("toString");
});
