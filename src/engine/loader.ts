import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { choiceKinds, type Flow, flowSchema, type Step } from "./flow-schema.js";
import { normalise } from "./understand/index.js";
import { builtinVariables, variablesUsedIn } from "./variables.js";
import { yamlValue } from "./yaml-value.js";

/** Every flow by id, validated together. */
export type FlowSet = ReadonlyMap<string, Flow>;

/** One problem in a flow file: where it is and how to fix it. */
export interface FlowProblem {
  file: string;
  line: number;
  message: string;
}

export class FlowLoadError extends Error {
  constructor(readonly problems: FlowProblem[]) {
    super(`Invalid flows:\n${problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join("\n")}`);
  }
}

/** Flows the engine itself starts: global words and the fallback. */
export const requiredFlows = [
  "menu",
  "bantuan",
  "berhenti",
  "langganan",
  "data_saya",
  "hapus_data",
] as const;

interface SourceFile {
  path: string;
  text: string;
}

/**
 * Loads and checks every flows/*.yaml: the schema, then what only the whole set can tell —
 * steps that do not exist, unknown actions and flows, variables used before they are set,
 * steps never reached, and a trigger word used by two flows. Throws FlowLoadError listing all.
 */
export function loadFlows(folder: string, actionNames: ReadonlySet<string>): FlowSet {
  const files = readdirSync(folder)
    .filter((file) => file.endsWith(".yaml") || file.endsWith(".yml"))
    .sort()
    .map((file) => ({ path: join(folder, file), text: readFileSync(join(folder, file), "utf8") }));
  return parseFlows(files, actionNames);
}

export function parseFlows(files: readonly SourceFile[], actionNames: ReadonlySet<string>) {
  const problems: FlowProblem[] = [];
  const flows = new Map<string, { flow: Flow; at: Locator }>();
  for (const file of files) {
    const display = relative(process.cwd(), file.path) || file.path;
    const lineCounter = new LineCounter();
    const document = parseDocument(file.text, { lineCounter, prettyErrors: false });
    const at: Locator = (path, message) =>
      problems.push({ file: display, line: lineOf(document, lineCounter, path), message });
    if (document.errors.length > 0) {
      for (const error of document.errors) {
        problems.push({
          file: display,
          line: lineCounter.linePos(error.pos[0]).line,
          message: `YAML syntax: ${error.message.split("\n")[0]}`,
        });
      }
      continue;
    }
    const value = yamlValue(document, lineCounter);
    if (!value.ok) {
      problems.push({ file: display, line: value.line, message: value.message });
      continue;
    }
    const parsed = flowSchema.safeParse(value.value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const unknownKey = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
        at(
          unknownKey === undefined ? issue.path : [...issue.path, unknownKey],
          `${issue.path.join(".") || "file"}: ${issue.message}`,
        );
      }
      continue;
    }
    const flow = parsed.data;
    const expectedFile = basename(file.path).replace(/\.ya?ml$/, "");
    if (flow.id !== expectedFile) {
      at(["id"], `flow id "${flow.id}" differs from the file name; rename one to match`);
    }
    if (flows.has(flow.id)) at(["id"], `flow id "${flow.id}" is used by another file too`);
    flows.set(flow.id, { flow, at });
  }

  const fileIds = new Set(files.map((file) => basename(file.path).replace(/\.ya?ml$/, "")));
  for (const id of requiredFlows) {
    if (!flows.has(id) && !fileIds.has(id)) {
      problems.push({ file: "flows", line: 0, message: `flow "${id}" is missing; add ${id}.yaml` });
    }
  }
  const triggerOwners = new Map<string, string>();
  const exportsOf = exportsTable(new Map([...flows].map(([id, { flow }]) => [id, flow])));
  for (const { flow, at } of flows.values()) {
    checkSteps(flow, at, actionNames, new Set(flows.keys()), exportsOf);
    for (const field of ["triggers", "commands"] as const) {
      flow[field].forEach((word, index) => {
        const key = normalise(word);
        const owner = triggerOwners.get(key);
        if (owner && owner !== flow.id) {
          at([field, index], `"${word}" also starts flow "${owner}"; keep it in one flow only`);
        }
        triggerOwners.set(key, flow.id);
      });
    }
  }
  if (problems.length > 0) throw new FlowLoadError(problems);
  return new Map([...flows].map(([id, { flow }]) => [id, flow])) as FlowSet;
}

type Locator = (path: readonly PropertyKey[], message: string) => void;

function lineOf(
  document: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
): number {
  for (let length = path.length; length >= 0; length--) {
    const node = document.getIn(path.slice(0, length) as unknown[], true);
    const range = isScalar(node) || isMap(node) ? node.range : undefined;
    if (range) return lineCounter.linePos(range[0]).line;
    if (node && typeof node === "object" && "range" in node && Array.isArray(node.range)) {
      return lineCounter.linePos(node.range[0] as number).line;
    }
  }
  return 1;
}

/** Each field of a step that names another step, with its path in the step. */
function targets(step: Step): [string[], string][] {
  switch (step.type) {
    case "branch":
      return [
        ...Object.entries(step.cases).map(([value, target]): [string[], string] => [
          ["cases", value],
          target,
        ]),
        [["default"], step.default],
      ];
    case "flow":
      return step.return_to ? [[["return_to"], step.return_to]] : [];
    case "end":
      return [];
    default:
      return step.next ? [[["next"], step.next]] : [];
  }
}

/** The steps a step can go to next. */
export function successors(step: Step): string[] {
  return [...new Set(targets(step).map(([, target]) => target))];
}

/** Variables a step sets. */
function saves(step: Step): string[] {
  if (step.type === "set") return Object.keys(step.values);
  if (step.type === "ask" && choiceKinds.has(step.kind)) return [step.save, `${step.save}_label`];
  if ((step.type === "ask" || step.type === "action") && step.save) return [step.save];
  return [];
}

/** Variables a step reads: {references} in its texts and args, and its path fields. */
function reads(step: Step): string[] {
  const paths: string[] = [];
  if (step.type === "ask") {
    if (step.options_from) paths.push(step.options_from);
    if (step.kecamatan) paths.push(step.kecamatan);
  }
  if (step.type === "branch") paths.push(step.on);
  if (step.type === "list") paths.push(step.items_from);
  const texts = { ...step, type: undefined, next: undefined, cases: undefined };
  return [...paths.map((path) => path.split(".")[0] ?? path), ...variablesUsedIn(texts)];
}

function checkSteps(
  flow: Flow,
  at: Locator,
  actionNames: ReadonlySet<string>,
  flowIds: ReadonlySet<string>,
  exportsOf: Exports,
) {
  const stepIds = Object.keys(flow.steps);
  const known = (target: string) => target in flow.steps;
  const suggestion = `one of: ${stepIds.join(", ")}`;
  if (!known(flow.start)) {
    at(["start"], `start step "${flow.start}" does not exist; use ${suggestion}`);
    return;
  }
  for (const [id, step] of Object.entries(flow.steps)) {
    for (const [field, target] of targets(step)) {
      if (!known(target)) {
        at(
          ["steps", id, ...field],
          `step "${id}" goes to "${target}", which does not exist; use ${suggestion}`,
        );
      }
    }
    if (step.type === "action" && !actionNames.has(step.action)) {
      at(
        ["steps", id, "action"],
        `unknown action "${step.action}"; known actions: ${[...actionNames].sort().join(", ")}`,
      );
    }
    if (step.type === "flow" && !flowIds.has(step.flow)) {
      at(["steps", id, "flow"], `unknown flow "${step.flow}"; add flows/${step.flow}.yaml`);
    }
    if (step.type === "ask") checkAsk(id, step, at);
  }
  checkVariables(flow, at, exportsOf);
}

function checkAsk(id: string, step: Extract<Step, { type: "ask" }>, at: Locator) {
  const needsOptions = step.kind === "choice" || step.kind === "multi_choice";
  if (needsOptions && !step.options && !step.options_from) {
    at(["steps", id], `question "${id}" is a ${step.kind}: give options or options_from`);
  }
  if (!needsOptions && (step.options || step.options_from)) {
    at(["steps", id], `question "${id}" is a ${step.kind}: options only go with choice questions`);
  }
  if (step.kind === "kelurahan" && !step.kecamatan) {
    at(["steps", id], `question "${id}" asks a kelurahan: name the kecamatan variable`);
  }
}

/** Variables a flow sets on every path to its end: what a caller can use after `return_to`. */
type Exports = (flowId: string) => ReadonlySet<string>;

/**
 * Data flow over the steps: a variable is set at a step when every path from the start sets
 * it first (a sub-flow call sets what that flow sets on every path).
 */
function analyseVariables(flow: Flow, exportsOf: Exports) {
  const setBefore = new Map<string, Set<string>>([[flow.start, new Set(builtinVariables)]]);
  let exported: Set<string> | undefined;
  const queue = [flow.start];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    const step = flow.steps[id] as Step;
    const called = step.type === "flow" ? [...exportsOf(step.flow)] : [];
    const after = new Set([...(setBefore.get(id) ?? []), ...saves(step), ...called]);
    const next = successors(step).filter((target) => target in flow.steps);
    if (next.length === 0) {
      exported = exported ? new Set([...exported].filter((v) => after.has(v))) : after;
    }
    for (const target of next) {
      const current = setBefore.get(target);
      const merged = current ? new Set([...current].filter((v) => after.has(v))) : after;
      if (!current || merged.size !== current.size) {
        setBefore.set(target, merged);
        queue.push(target);
      }
    }
  }
  return { setBefore, exported: exported ?? new Set<string>() };
}

/** Memoised exports of every flow; a flow that calls itself exports nothing through the call. */
function exportsTable(flows: ReadonlyMap<string, Flow>): Exports {
  const table = new Map<string, ReadonlySet<string>>();
  const exportsOf: Exports = (flowId) => {
    const known = table.get(flowId);
    if (known) return known;
    const flow = flows.get(flowId);
    table.set(flowId, new Set());
    const exported =
      flow && flow.start in flow.steps
        ? analyseVariables(flow, exportsOf).exported
        : new Set<string>();
    table.set(flowId, exported);
    return exported;
  };
  return exportsOf;
}

/** A `set` step fills its values in order: a value may use one set before it in the step. */
function setEarlierInStep(step: Step, variable: string): boolean {
  if (step.type !== "set") return false;
  const names = Object.keys(step.values);
  const position = names.indexOf(variable);
  return (
    position >= 0 &&
    names.slice(position + 1).some((name) => variablesUsedIn(step.values[name]).includes(variable))
  );
}

/** Reports reads of variables that may not be set, and steps never reached. */
function checkVariables(flow: Flow, at: Locator, exportsOf: Exports) {
  const { setBefore } = analyseVariables(flow, exportsOf);
  for (const [id, step] of Object.entries(flow.steps)) {
    const available = setBefore.get(id);
    if (!available) {
      at(["steps", id], `step "${id}" is never reached; remove it or go to it from another step`);
      continue;
    }
    for (const variable of new Set(reads(step))) {
      if (!available.has(variable) && !setEarlierInStep(step, variable)) {
        at(
          ["steps", id],
          `step "${id}" uses "${variable}" before it is set on every path; save it in an earlier step`,
        );
      }
    }
  }
}
