import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  detectCommand,
  findKeyword,
  matchArea,
  matchChoice,
  matchMultiChoice,
  matchNumber,
  matchYesNo,
  normalise,
  parseDate,
  tokens,
} from "../../src/engine/understand/index.js";
import { KELURAHAN } from "../understand/areas.js";
import { COURSES, GROUPS, KEYWORDS } from "../understand/options.js";
import { fuzzRuns, pathologicalText, residentText } from "./arbitraries.js";

/** What a normalised message may hold: "?" alone, or lower-case words joined by one space. */
const normalForm = /^(?:\?|(?:[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*(?: |$))*)$/u;

/** Every matcher a turn may run on one message. */
function understandAll(text: string) {
  return {
    normal: normalise(text),
    words: tokens(text),
    yesNo: matchYesNo(text),
    number: matchNumber(text),
    course: matchChoice(text, COURSES),
    groups: matchMultiChoice(text, GROUPS),
    keyword: findKeyword(text, KEYWORDS),
    strict: detectCommand(text, "strict"),
    loose: detectCommand(text, "loose"),
    date: parseDate(text, "2026-11-28"),
    area: matchArea(text, KELURAHAN),
  };
}

describe("understanding fuzzed messages", () => {
  it("never throws, and every answer has a declared shape", () => {
    fc.assert(
      fc.property(residentText, (text) => {
        const seen = understandAll(text);
        expect(seen.normal).toMatch(normalForm);
        expect(seen.words.every((word) => word !== "" && !word.includes(" "))).toBe(true);
        expect([undefined, "yes", "no"]).toContain(seen.yesNo);
        if (seen.number !== undefined) {
          expect(Number.isInteger(seen.number) && seen.number >= 0).toBe(true);
        }
        const courseIds = COURSES.map((option) => option.id);
        if (seen.course.kind === "matched") expect(courseIds).toContain(seen.course.id);
        if (seen.course.kind === "ambiguous") {
          expect(seen.course.ids.every((id) => courseIds.includes(id))).toBe(true);
        }
        if (seen.groups.kind === "matched") {
          const order = seen.groups.ids.map((id) => GROUPS.findIndex((g) => g.id === id));
          expect(order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1]!))).toBe(
            true,
          );
        }
        if (seen.keyword !== undefined) expect(KEYWORDS).toContain(seen.keyword);
        if (seen.date !== undefined) expect(seen.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        if (seen.area.kind === "matched") {
          expect(KELURAHAN.map((area) => area.code)).toContain(seen.area.code);
        }
      }),
      fuzzRuns(250),
    );
  });

  it("normalising twice changes nothing, so a flow's normalised triggers match what is typed", () => {
    fc.assert(
      fc.property(residentText, (text) => {
        const once = normalise(text);
        expect(normalise(once)).toBe(once);
      }),
      fuzzRuns(250),
    );
  });

  it("a strict command is also a loose one (loose only accepts more)", () => {
    fc.assert(
      fc.property(residentText, (text) => {
        const strict = detectCommand(text, "strict");
        if (strict !== undefined) expect(detectCommand(text, "loose")).toBe(strict);
      }),
      fuzzRuns(300),
    );
  });

  it("the number, the number word or 'no N' of an option always picks that option", () => {
    const words = ["satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom("%", "no %", "%.", "pilih %", "word", " % ", "nomor %!"),
        (n, shape) => {
          const typed = shape === "word" ? words[n - 1]! : shape.replace("%", String(n));
          expect(matchChoice(typed, COURSES)).toEqual({ kind: "matched", id: COURSES[n - 1]!.id });
          expect(matchNumber(typed)).toBe(n);
        },
      ),
      fuzzRuns(100),
    );
  });

  it("long repetitive messages are understood in bounded time (no regex blow-up)", () => {
    fc.assert(
      fc.property(pathologicalText, (text) => {
        const started = performance.now();
        understandAll(text);
        // Generous, for a busy machine: a linear pass over 40,000 characters takes milliseconds,
        // a quadratic one (what HYPHENATED in normalise once was) half a minute.
        expect(performance.now() - started).toBeLessThan(5_000);
      }),
      // A long word without a hyphen once took quadratic time in normalise (HYPHENATED).
      { ...fuzzRuns(25), examples: [["ab".repeat(20_000)]] },
    );
  });
});
