import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { flowsFolder } from "../../src/core.js";
import { actions } from "../../src/domain/actions.js";
import { type FlowFile, flowFile, problemsOf, withRequired } from "../engine/flow-files.js";
import { fuzzRuns, residentText } from "./arbitraries.js";

const actionNames = Object.keys(actions);

/** The shipped flows, as the loader reads them. */
const shipped: FlowFile[] = readdirSync(flowsFolder)
  .filter((file) => file.endsWith(".yaml"))
  .sort()
  .map((file) => ({
    path: `flows/${file}`,
    text: readFileSync(join(flowsFolder, file), "utf8"),
  }));

/** Characters that mean something to YAML. */
const yamlish = fc.string({
  unit: fc.constantFrom(..."ab1:- \n\t'\"[]{}&*!|>#%@`,?~=<\\", "  ", "\n  ", "!!binary ", "<<: "),
  maxLength: 80,
});

/** One edit a careless (or hostile) editor might make to a line of a flow file. */
const lineEdit = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), text: yamlish }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: residentText }),
  fc.record({
    kind: fc.constant("indent" as const),
    at: fc.nat(),
    by: fc.integer({ min: -4, max: 4 }),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
);

type LineEdit = typeof lineEdit extends fc.Arbitrary<infer T> ? T : never;

function edit(text: string, edits: readonly LineEdit[]): string {
  const lines = text.split("\n");
  for (const change of edits) {
    const at = change.at % Math.max(lines.length, 1);
    switch (change.kind) {
      case "delete":
        lines.splice(at, 1);
        break;
      case "duplicate":
        lines.splice(at, 0, lines[at] ?? "");
        break;
      case "replace":
      case "insert":
        lines.splice(at, change.kind === "replace" ? 1 : 0, change.text);
        break;
      case "indent": {
        const line = lines[at] ?? "";
        lines[at] = change.by >= 0 ? " ".repeat(change.by) + line : line.slice(-change.by);
        break;
      }
      case "truncate":
        lines.length = at;
        break;
    }
  }
  return lines.join("\n");
}

/** The loader's contract: a FlowSet or FlowLoadError problems, each with a place and a reason. */
function expectProblemsOrFlows(files: readonly FlowFile[]): void {
  // problemsOf rethrows anything that is not a FlowLoadError, which fails the property.
  for (const problem of problemsOf(files, actionNames, { addRequired: false })) {
    expect(typeof problem.file).toBe("string");
    expect(Number.isInteger(problem.line) && problem.line >= 0).toBe(true);
    expect(problem.message.length).toBeGreaterThan(0);
  }
}

describe("the flow loader fed random YAML", () => {
  it("the shipped flows load (the baseline the edits start from)", () => {
    expect(problemsOf(shipped, actionNames, { addRequired: false })).toEqual([]);
  });

  it("reports problems, never throws, when one shipped flow is edited at random", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: shipped.length - 1 }),
        fc.array(lineEdit, { minLength: 1, maxLength: 5 }),
        (index, edits) => {
          const files = shipped.map((file, i) =>
            i === index ? { ...file, text: edit(file.text, edits) } : file,
          );
          expectProblemsOrFlows(files);
        },
      ),
      fuzzRuns(15),
    );
  });

  it("reports problems, never throws, for arbitrary text and arbitrary YAML values", () => {
    const document = fc.oneof(
      yamlish,
      residentText,
      fc.jsonValue().map((value) => stringify(value)),
      fc
        .dictionary(
          fc.constantFrom("id", "version", "start", "steps", "triggers", "commands", "x"),
          fc.jsonValue({ maxDepth: 3 }),
        )
        .map((value) => stringify(value)),
    );
    fc.assert(
      // The other required flows are trivial: each run parses one file, not the whole set.
      fc.property(document, (text) => {
        expectProblemsOrFlows(withRequired([flowFile("menu", text)]));
      }),
      fuzzRuns(80),
    );
  });

  it.each([
    [
      "an alias bomb",
      `a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
id: menu
`,
    ],
    ["an undefined alias", "id: *nothing\n"],
    ["a merge key of a scalar", "<<: 3\nid: menu\n"],
    ["an unknown tag", "id: !js/function 'function () {}'\n"],
    ["a binary value", "id: !!binary aGFsbw==\n"],
    ["a byte-order mark and NUL", "\ufeffid: menu\u0000\n"],
    ["a lone surrogate", "id: menu\nversion: 1\nstart: \ud800\n"],
    ["a deep nesting", `${"[".repeat(5_000)}${"]".repeat(5_000)}\n`],
  ])("reports %s as a problem", (_name, text) => {
    const files = [...shipped.filter((f) => !f.path.endsWith("menu.yaml")), flowFile("menu", text)];
    const problems = problemsOf(files, actionNames, { addRequired: false });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((problem) => problem.file === "flows/menu.yaml")).toBe(true);
  });
});
