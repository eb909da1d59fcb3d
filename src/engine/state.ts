import type { Json } from "./json.js";

/** A place in a flow to come back to. */
export interface FlowPosition {
  flowId: string;
  stepId: string;
  flowVersion: number;
}

/**
 * Where one resident is in a conversation. Stored per contact (conversations row); `null`
 * means no conversation is in progress.
 */
export interface ConversationState extends FlowPosition {
  /** What the engine waits for at `stepId`: an answer, an action's result, or LAGI. */
  waiting: "answer" | "action" | "more";
  variables: Record<string, Json>;
  /** Invalid answers in a row at the current question. */
  attempts: number;
  /** Return points of sub-flow calls, innermost last. */
  stack: FlowPosition[];
  /** A conversation a global word (BANTUAN, DATA SAYA …) interrupted; resumed when it ends. */
  suspended?: Omit<ConversationState, "suspended" | "expiresAt">;
  /** The remaining items of a paged list (waiting "more"). */
  page?: { items: string[]; offset: number; pageSize: number };
  /** ISO instant after which the conversation has ended for lack of an answer. */
  expiresAt: string;
}
