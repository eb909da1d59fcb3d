import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePhone, redactPhone } from "../../src/engine/understand/phone.js";
import { fuzzRuns, residentText } from "./arbitraries.js";

const e164Mobile = /^\+628[1-35-9]\d{7,10}$/;

/** A national mobile number (without the trunk 0) that parses as a mobile when typed plainly. */
const mobileNational = fc
  .tuple(
    fc.constantFrom("811", "812", "813", "821", "822", "852", "853", "857", "877", "895", "838"),
    fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 6, maxLength: 9 }),
  )
  .map(([prefix, rest]) => prefix + rest)
  .filter((national) => parsePhone(`0${national}`).kind === "mobile");

/** The same number as a resident may type it. */
function typed(national: string, shape: number, separator: string, label: string): string {
  const groups = national.match(/.{1,4}/g) ?? [national];
  const body = groups.join(separator);
  const forms = [`0${body}`, `+62 ${body}`, `62${body}`, `+62 0${body}`, body];
  return `${label}${forms[shape % forms.length]}`;
}

describe("phone numbers, fuzzed", () => {
  it("never throws; a mobile is always E.164 of an Indonesian mobile", () => {
    fc.assert(
      fc.property(residentText, (text) => {
        const result = parsePhone(text);
        expect(["mobile", "fixed_line", "invalid"]).toContain(result.kind);
        if (result.kind === "mobile") expect(result.e164).toMatch(e164Mobile);
      }),
      fuzzRuns(250),
    );
  });

  it("every way of typing one mobile number gives the same E.164", () => {
    fc.assert(
      fc.property(
        mobileNational,
        fc.nat(),
        fc.constantFrom("", " ", "-", ".", " - "),
        fc.constantFrom("", "no hp saya ", "WA: ", "nomor: ", "hp "),
        (national, shape, separator, label) => {
          expect(parsePhone(typed(national, shape, separator, label))).toEqual({
            kind: "mobile",
            e164: `+62${national}`,
          });
        },
      ),
      fuzzRuns(200),
    );
  });

  it("a redacted number never shows more than its first six and last three characters", () => {
    fc.assert(
      fc.property(mobileNational, (national) => {
        const e164 = `+62${national}`;
        const redacted = redactPhone(e164);
        expect(redacted).not.toContain(national);
        expect(redacted.replace(/\D/g, "").length).toBeLessThanOrEqual(8);
        expect(redacted).toBe(`${e164.slice(0, 6)}****${e164.slice(-3)}`);
      }),
      fuzzRuns(100),
    );
  });
});
