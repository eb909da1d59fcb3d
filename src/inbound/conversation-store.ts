import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { conversations } from "../db/schema/index.js";
import type { ConversationState } from "../engine/state.js";

type Runtime = Pick<ConversationState, "waiting" | "stack" | "suspended" | "page">;

/** The resident's conversation as stored, or null when none is in progress. */
export async function loadConversation(
  tx: Db,
  contactId: number,
): Promise<ConversationState | null> {
  const [row] = await tx.select().from(conversations).where(eq(conversations.contactId, contactId));
  if (!row?.flowId || !row.stepId || row.flowVersion === null || !row.expiresAt) return null;
  const runtime = row.runtime as Partial<Runtime>;
  return {
    flowId: row.flowId,
    stepId: row.stepId,
    flowVersion: row.flowVersion,
    variables: row.variables as ConversationState["variables"],
    attempts: row.attempts,
    expiresAt: row.expiresAt.toISOString(),
    waiting: runtime.waiting ?? "answer",
    stack: runtime.stack ?? [],
    ...(runtime.suspended ? { suspended: runtime.suspended } : {}),
    ...(runtime.page ? { page: runtime.page } : {}),
  };
}

/** Stores the conversation (null: none in progress), in the turn's transaction. */
export async function saveConversation(
  tx: Db,
  contactId: number,
  state: ConversationState | null,
  now: Date,
): Promise<void> {
  const values = state
    ? {
        flowId: state.flowId,
        stepId: state.stepId,
        flowVersion: state.flowVersion,
        variables: state.variables,
        attempts: state.attempts,
        expiresAt: new Date(state.expiresAt),
        runtime: {
          waiting: state.waiting,
          stack: state.stack,
          ...(state.suspended ? { suspended: state.suspended } : {}),
          ...(state.page ? { page: state.page } : {}),
        },
        updatedAt: now,
      }
    : {
        flowId: null,
        stepId: null,
        flowVersion: null,
        variables: {},
        attempts: 0,
        expiresAt: null,
        runtime: {},
        updatedAt: now,
      };
  await tx
    .insert(conversations)
    .values({ contactId, ...values })
    .onConflictDoUpdate({ target: conversations.contactId, set: values });
}
