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
}

/**
 * A named effect a flow can call (`type: action` steps). `args` validates what the flow passes
 * after interpolation; the result is saved into a conversation variable.
 */
export interface ActionDefinition<Args extends z.ZodType = z.ZodType> {
  args: Args;
  run(context: ActionContext, args: z.output<Args>): Promise<Json>;
}

export type ActionRegistry = Readonly<Record<string, ActionDefinition>>;

/** Keeps the args type of each action checked against its schema. */
export function defineAction<Args extends z.ZodType>(
  definition: ActionDefinition<Args>,
): ActionDefinition {
  return definition as unknown as ActionDefinition;
}
