import type { ConversationState } from "../engine/state.js";
import { detectCommand, type GlobalCommand } from "../engine/understand/index.js";
import type { PendingInbound } from "./conversation-store.js";

/**
 * While a staff member talks to a resident (`contacts.handover_since`, set from Percakapan in
 * the console), the bot stays quiet: the resident's messages are stored and marked processed,
 * staff read them in the console, and no bot reply is queued.
 *
 * Decision: the resident's legal rights still work during a handover. BERHENTI (no more
 * announcements) and HAPUS DATA (erasure, UU 27/2022) typed on their own are answered by the
 * bot, and so is the rest of the HAPUS DATA confirmation; erasure also ends the handover.
 */
const rights: ReadonlySet<GlobalCommand> = new Set(["berhenti", "hapus_data"]);

/** During a handover: whether the bot still answers this message (a legal right). */
export function botAnswersDuringHandover(
  inbound: Pick<PendingInbound, "kind" | "text">,
  state: ConversationState | null,
): boolean {
  if (state?.flowId === "hapus_data") return true;
  const command =
    inbound.kind === "text" && inbound.text ? detectCommand(inbound.text, "strict") : undefined;
  return command !== undefined && rights.has(command);
}
