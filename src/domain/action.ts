import type { z } from "zod";
import type { ChannelName } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import type { Json } from "../engine/json.js";

/** What an action receives: the turn's transaction and who the turn is for. */
export interface ActionContext {
  /** The turn's transaction: every write commits with the conversation state, or not at all. */
  tx: Db;
  contactId: number;
  identityId: number;
  /** The message this turn answers; messages an action queues as replies refer to it. */
  inboundId: number;
  channel: ChannelName;
  now: Date;
  /** Who runs the service (config ORGANISATION_NAME). */
  organisationName: string;
  /** How long a resident offered a freed seat has to answer (config OFFER_TTL). */
  offerTtlMs: number;
  /**
   * Where account-linking codes come from: 6 random digits from node:crypto when absent. Golden
   * transcripts fix the codes (`@code`), the way they fix the clock.
   */
  randomCode?: () => string;
  /**
   * Called by an action that moved the resident's channel identities to another contact (linking
   * two apps): the rest of the turn (later actions, replies, the conversation state) belongs to
   * that contact. The pipeline passes it; elsewhere it may be absent.
   */
  contactMoved?: (contactId: number) => void;
  /**
   * Called by an action that queued a reply to this message itself (HAPUS DATA's farewell): the
   * pipeline then reads the message's replies back from the outbox instead of taking the flow's.
   */
  replyQueued?: () => void;
}

/**
 * A named effect a flow can call (`type: action` steps). `args` validates what the flow passes
 * after interpolation; the result is saved into a conversation variable.
 */
export interface ActionDefinition<Args extends z.ZodType = z.ZodType> {
  args: Args;
  /**
   * True for an action that writes nothing but the turn's own resident's rows (it may read
   * anything): it may run while other residents' turns that share the transaction run theirs.
   * Any other action runs alone among those turns, so that what it reads (seats left) stays
   * true until it writes (src/inbound/turn.ts).
   */
  alongsideOthers?: boolean;
  run(context: ActionContext, args: z.output<Args>): Promise<Json>;
}

export type ActionRegistry = Readonly<Record<string, ActionDefinition>>;

/** Keeps the args type of each action checked against its schema. */
export function defineAction<Args extends z.ZodType>(
  definition: ActionDefinition<Args>,
): ActionDefinition {
  return definition as unknown as ActionDefinition;
}
