import { z } from "zod";
import type { OutboundMessage } from "../channels/contract.js";

const outboundSchema = z.object({
  text: z.string().min(1),
  choices: z.array(z.object({ id: z.string().min(1), label: z.string().min(1) })).optional(),
  requestPhone: z.boolean().optional(),
});

export type StoredOutbound =
  | { ok: true; message: OutboundMessage }
  /** Names the field that is wrong, never the message text. */
  | { ok: false; problem: string };

/** The OutboundMessage an outbox row holds (as src/domain/outbox.ts writes it), checked. */
export function outboundOf(payload: unknown): StoredOutbound {
  const parsed = outboundSchema.safeParse(payload);
  if (parsed.success) {
    const { text, choices, requestPhone } = parsed.data;
    return {
      ok: true,
      message: {
        text,
        ...(choices && choices.length > 0 ? { choices } : {}),
        ...(requestPhone ? { requestPhone } : {}),
      },
    };
  }
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "payload";
  return { ok: false, problem: `${field}: ${issue?.message ?? "tidak dikenali"}` };
}
