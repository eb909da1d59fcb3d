import { z } from "zod";

/**
 * The shape of a flow file (flows/*.yaml). Flows are data that NGO staff can read and edit:
 * texts are Indonesian, names of steps and variables are stable identifiers.
 */

const name = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, { error: "use lower case letters, digits and _ (e.g. tanya_nama)" });

/** A step id in this flow. */
const stepRef = name;

const text = z.string().min(1).describe("Text sent to the resident; {variable} is filled in.");

const option = z.strictObject({
  id: z.string().min(1).describe("Saved into the variable when chosen."),
  label: z.string().min(1).describe("Shown to the resident, numbered."),
  aliases: z.array(z.string().min(1)).optional().describe("Other words that mean this option."),
});

export const askKinds = [
  "choice",
  "multi_choice",
  "yes_no",
  "number",
  "text",
  "phone",
  "kecamatan",
  "kelurahan",
  "date",
  "location",
  "photo",
] as const;
export type AskKind = (typeof askKinds)[number];

const sayStep = z.strictObject({
  type: z.literal("say"),
  text,
  next: stepRef.optional().describe("Step to go to next; without it the flow ends."),
});

const askStep = z.strictObject({
  type: z.literal("ask"),
  kind: z.enum(askKinds),
  text,
  /** Static options (choice, multi_choice). */
  options: z.array(option).min(1).optional(),
  /** A variable holding options: a list of {id, label} (from an action). */
  options_from: z.string().optional(),
  /** kelurahan: the variable holding the kecamatan code to list the kelurahan of. */
  kecamatan: z.string().optional(),
  /** An example answer for the re-prompt, e.g. "Siti Aminah". */
  example: z.string().optional(),
  /** Replaces the line that says how to answer, e.g. "Ketik SETUJU atau TIDAK." */
  how: z.string().optional(),
  /** Lets the resident skip with "lewati"; the variable is then null. */
  optional: z.boolean().optional(),
  save: name.describe(
    "Variable that receives the answer; for choices also <save>_label with what was chosen.",
  ),
  next: stepRef.optional(),
});

const actionStep = z.strictObject({
  type: z.literal("action"),
  action: z.string().min(1).describe("A named action from src/domain/actions.ts."),
  args: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Arguments; "{variable}" passes the variable\'s value as it is.'),
  save: name.optional().describe("Variable that receives the action's result."),
  next: stepRef.optional(),
});

const setStep = z.strictObject({
  type: z.literal("set"),
  values: z.record(name, z.unknown()).describe("Variables to set; strings are filled in."),
  next: stepRef.optional(),
});

const branchStep = z.strictObject({
  type: z.literal("branch"),
  on: z.string().min(1).describe("A variable (path) to look at, e.g. status.consent."),
  cases: z
    .record(z.string(), stepRef)
    .describe("Value → step. For a list, a case matches when the list contains the value."),
  default: stepRef.describe("Step when no case matches."),
});

const flowStep = z.strictObject({
  type: z.literal("flow"),
  flow: name.describe("The flow to run."),
  return_to: stepRef
    .optional()
    .describe("Come back to this step when that flow ends; without it, this flow ends."),
});

const listStep = z.strictObject({
  type: z.literal("list"),
  text: text.describe("Shown above the items."),
  items_from: z.string().describe("A variable holding a list of texts."),
  empty: text.describe("Shown instead when the list is empty."),
  page_size: z.number().int().min(1).max(10).default(5),
  next: stepRef.optional(),
});

const endStep = z.strictObject({
  type: z.literal("end"),
  text: text.optional(),
});

export const stepSchema = z.discriminatedUnion("type", [
  sayStep,
  askStep,
  actionStep,
  setStep,
  branchStep,
  flowStep,
  listStep,
  endStep,
]);
export type Step = z.output<typeof stepSchema>;
export type AskStep = z.output<typeof askStep>;

/** Question kinds whose answer is one or more of numbered options, saved with their labels. */
export const choiceKinds: ReadonlySet<AskKind> = new Set([
  "choice",
  "multi_choice",
  "kecamatan",
  "kelurahan",
]);

export const flowSchema = z.strictObject({
  $schema: z.string().optional(),
  id: name,
  version: z.number().int().min(1).describe("Raise when steps are renamed or removed."),
  description: z.string().optional(),
  triggers: z
    .array(z.string().min(1))
    .default([])
    .describe("Words that start this flow when no conversation is in progress."),
  commands: z
    .array(z.string().min(1))
    .default([])
    .describe("Words that start this flow only when they are the whole message (e.g. SAYA)."),
  start: stepRef,
  steps: z.record(name, stepSchema),
});
export type Flow = z.output<typeof flowSchema>;

/** The JSON Schema that flows/schema.json holds, for editors. */
export function flowJsonSchema(): unknown {
  return z.toJSONSchema(flowSchema, { io: "input" });
}
