import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { InboundMessage, OutboundMessage } from "../contract.js";

/** A simulator resident id: what `from` may be (the channel identity's external id). */
export const simulatorIdPattern = /^[A-Za-z0-9_.:@+-]{1,64}$/;
export const maxTextLength = 4096;

/** "required" when the field is missing, `expected` when it has the wrong type. */
const typeError = (expected: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? "required" : expected;

/** The body of `POST /api/simulator/messages`. Unknown fields are ignored. */
export const simulatorMessageSchema = z.object(
  {
    from: z.string({ error: typeError("expected a string") }).regex(simulatorIdPattern, {
      error: "expected 1 to 64 characters: letters, digits and _ . : @ + -",
    }),
    text: z
      .string({ error: typeError("expected a string") })
      .max(maxTextLength, { error: `expected at most ${maxTextLength} characters` })
      .refine((text) => text.trim() !== "", { error: "expected a non-empty message" }),
    name: z
      .string({ error: "expected a string" })
      .max(100, { error: "expected at most 100 characters" })
      .optional(),
    id: z
      .string({ error: "expected a string" })
      .min(1, { error: "expected 1 to 100 characters" })
      .max(100, { error: "expected 1 to 100 characters" })
      .optional(),
  },
  { error: "expected a JSON object" },
);

export type SimulatorMessageInput = z.output<typeof simulatorMessageSchema>;

/** The first problem of a rejected body: the field's dotted path ("body" for the whole) and why. */
export function firstProblem(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: "body", message: "invalid body" };
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
  return { field, message: issue.message };
}

/** The InboundMessage a simulator message becomes: a text from `from`, now. */
export function simulatorInbound(
  input: SimulatorMessageInput,
  receivedAt: Date = new Date(),
): InboundMessage {
  const displayName = input.name?.trim();
  return {
    channel: "simulator",
    externalId: input.id ?? randomUUID(),
    senderId: input.from,
    ...(displayName ? { displayName } : {}),
    receivedAt,
    content: { kind: "text", text: input.text },
  };
}

/** A reply as the simulator shows it: text, and choices only when there are some. */
export interface SimulatorReply {
  text: string;
  choices?: { id: string; label: string }[];
}

export function toSimulatorReply(reply: OutboundMessage): SimulatorReply {
  return reply.choices && reply.choices.length > 0
    ? {
        text: reply.text,
        choices: reply.choices.map(({ id, label }) => ({ id, label })),
      }
    : { text: reply.text };
}
