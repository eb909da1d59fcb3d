import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanInbound, cleanText } from "../../src/channels/clean-inbound.js";
import { fuzzRuns, residentText } from "./arbitraries.js";

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: what must not be stored.
const unstorable = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

describe("cleaning what residents send", () => {
  it("gives well-formed, storable text within the limit, and cleaning twice changes nothing", () => {
    fc.assert(
      fc.property(residentText, fc.integer({ min: 1, max: 40 }), (text, max) => {
        const clean = cleanText(text, max);
        expect(clean.length).toBeLessThanOrEqual(max);
        expect(clean).not.toMatch(loneSurrogate);
        expect(clean).not.toMatch(unstorable);
        expect(cleanText(clean, max)).toBe(clean);
        // Cutting keeps the start: what a longer limit keeps begins with what a shorter keeps.
        expect(cleanText(text, 10_000).startsWith(clean)).toBe(true);
      }),
      fuzzRuns(500),
    );
  });

  it("never cuts an emoji in half", () => {
    expect(cleanText("😀".repeat(10_000), 4_096)).toBe("😀".repeat(2_048));
    expect(cleanText(`a${"😀".repeat(10)}`, 4)).toBe("a😀");
  });

  it("keeps what a resident meant: letters, emoji, line breaks, right-to-left marks", () => {
    expect(cleanText("Halo\r\nBu 👩‍👩‍👧 \u200fسلام\ttab", 100)).toBe(
      "Halo\nBu 👩‍👩‍👧 \u200fسلام\ttab",
    );
    expect(cleanText("\u202eratfad\u202c", 100)).toBe("ratfad");
  });

  it("cleans every text field of a message and drops a name that is left empty", () => {
    const cleaned = cleanInbound({
      channel: "telegram",
      externalId: "1\u0000",
      senderId: "2",
      displayName: "\u0000\u202e ",
      phone: "+62812\u0000",
      receivedAt: new Date(0),
      content: { kind: "photo", mediaId: 3, caption: `x${"y".repeat(5_000)}` },
    });
    expect(cleaned).toEqual({
      channel: "telegram",
      externalId: "1",
      senderId: "2",
      phone: "+62812",
      receivedAt: new Date(0),
      content: { kind: "photo", mediaId: 3, caption: `x${"y".repeat(4_095)}` },
    });
  });
});
