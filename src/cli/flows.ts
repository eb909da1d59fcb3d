import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { flowsFolder } from "../core.js";
import { actions } from "../domain/actions.js";
import { flowJsonSchema } from "../engine/flow-schema.js";
import { FlowLoadError, loadFlows } from "../engine/loader.js";

/**
 * `npm run flows:check [-- FOLDER]`: load and check every flow as start-up does (the shipped
 * flows/ by default); one line per problem, exit 1 when there is any.
 * `npm run flows:schema`: rewrite flows/schema.json from the zod schema.
 */
const [command = "check", folder = flowsFolder] = process.argv.slice(2);
if (command === "schema") {
  writeFileSync(join(flowsFolder, "schema.json"), `${JSON.stringify(flowJsonSchema(), null, 2)}\n`);
  console.log("flows/schema.json written");
} else {
  try {
    const flows = loadFlows(folder, new Set(Object.keys(actions)));
    console.log(`${flows.size} flows OK: ${[...flows.keys()].sort().join(", ")}`);
  } catch (error) {
    if (!(error instanceof FlowLoadError)) throw error;
    for (const problem of error.problems) {
      console.error(`${problem.file}:${problem.line}: ${problem.message}`);
    }
    process.exit(1);
  }
}
