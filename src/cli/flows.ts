import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkFlows, flowsFolder } from "../core.js";
import { flowJsonSchema } from "../engine/flow-schema.js";

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
  const checked = checkFlows(folder);
  if (checked.ok) {
    console.log(`${checked.flows.size} flows OK: ${[...checked.flows.keys()].sort().join(", ")}`);
  } else {
    for (const problem of checked.problems) {
      console.error(`${problem.file}:${problem.line}: ${problem.message}`);
    }
    process.exit(1);
  }
}
