import { type Document, type LineCounter, visit } from "yaml";

export type YamlValue = { ok: true; value: unknown } | { ok: false; line: number; message: string };

/**
 * The plain value of a parsed flow file. Converting can still fail after a clean parse: an
 * alias to an anchor that is not set, or aliases that expand into a huge value (the yaml
 * library refuses those as a resource exhaustion attack). Flows need no aliases, so the
 * problem points at the first one.
 */
export function yamlValue(document: Document, lineCounter: LineCounter): YamlValue {
  try {
    return { ok: true, value: document.toJS() };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return {
      ok: false,
      line: firstAliasLine(document, lineCounter),
      message: `YAML alias: ${reason}; write the value out instead of using & and *`,
    };
  }
}

function firstAliasLine(document: Document, lineCounter: LineCounter): number {
  let line = 1;
  visit(document, {
    Alias(_key, node) {
      if (node.range) line = lineCounter.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line;
}
