import {
  FlowLoadError,
  type FlowProblem,
  type FlowSet,
  parseFlows,
} from "../../src/engine/loader.js";

/** One flow file as the loader reads it; `path` decides the file name the id must match. */
export interface FlowFile {
  path: string;
  text: string;
}

/** A flow file at flows/<id>.yaml (relative to the project root, as the loader displays it). */
export function flowFile(id: string, text: string): FlowFile {
  return { path: `flows/${id}.yaml`, text };
}

/** The smallest valid flow: one end step saying `text`. */
export function trivialFlow(id: string, text = `${id} selesai.`): FlowFile {
  return flowFile(
    id,
    `id: ${id}
version: 1
start: selesai
steps:
  selesai:
    type: end
    text: "${text}"
`,
  );
}

/** Flows the loader requires (menu, bantuan, berhenti, langganan, data_saya, hapus_data). */
export const requiredIds = [
  "menu",
  "bantuan",
  "berhenti",
  "langganan",
  "data_saya",
  "hapus_data",
] as const;

/** `files`, plus a trivial version of every required flow they do not define. */
export function withRequired(files: readonly FlowFile[]): FlowFile[] {
  const given = new Set(files.map((file) => file.path));
  const missing = requiredIds.filter((id) => !given.has(`flows/${id}.yaml`));
  return [...missing.map((id) => trivialFlow(id)), ...files];
}

/** The problems the loader reports for `files` (with the required flows added), or [] if valid. */
export function problemsOf(
  files: readonly FlowFile[],
  actionNames: Iterable<string> = [],
  { addRequired = true } = {},
): FlowProblem[] {
  try {
    parseFlows(addRequired ? withRequired(files) : files, new Set(actionNames));
    return [];
  } catch (error) {
    if (error instanceof FlowLoadError) return error.problems;
    throw error;
  }
}

/** A valid flow set from `files` (with the required flows added); throws with the problems. */
export function flowSet(files: readonly FlowFile[], actionNames: Iterable<string> = []): FlowSet {
  return parseFlows(withRequired(files), new Set(actionNames));
}

/** The 1-based number of the only line of `text` that contains `needle`. */
export function lineWith(text: string, needle: string): number {
  const lines = text.split("\n");
  const found = lines.flatMap((line, index) => (line.includes(needle) ? [index + 1] : []));
  if (found.length !== 1) {
    throw new Error(`expected one line with "${needle}", found ${found.length}`);
  }
  return found[0]!;
}
