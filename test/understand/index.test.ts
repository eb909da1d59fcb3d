import { describe, expect, it } from "vitest";
import * as understand from "../../src/engine/understand/index.js";

describe("public surface", () => {
  it.each([
    "normalise",
    "tokens",
    "withinOneEdit",
    "matchYesNo",
    "matchNumber",
    "matchChoice",
    "matchMultiChoice",
    "findKeyword",
    "detectCommand",
    "parsePhone",
    "redactPhone",
    "matchArea",
    "parseDate",
  ])("exports %s", (name) => {
    expect(typeof (understand as Record<string, unknown>)[name]).toBe("function");
  });

  it("works end to end through the index", () => {
    expect(understand.matchYesNo("inggih")).toBe("yes");
    expect(understand.detectCommand("?", "strict")).toBe("bantuan");
    expect(
      understand.matchArea("graha indah", [{ code: "x", name: "Graha Indah", aliases: [] }]),
    ).toEqual({
      kind: "matched",
      code: "x",
    });
  });
});
