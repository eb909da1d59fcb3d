import type { ChannelName } from "../../channels/contract.js";
import { channelNames, type OutboxStatus, outboxStatuses } from "../../db/schema/index.js";

/** A channel name read from a row. */
export function channelOf(value: unknown): ChannelName {
  const channel = channelNames.find((name) => name === value);
  if (!channel) throw new TypeError(`unknown channel ${String(value)}`);
  return channel;
}

/** How staff see a resident: the name, or "Warga" when it is unknown (or erased). */
export function displayName(value: unknown): string {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : "Warga";
}

/** A timestamptz selected as epoch milliseconds (the same on both drivers), or null. */
export function instantOf(value: unknown): Date | null {
  return value === null || value === undefined ? null : new Date(Number(value));
}

export const at = (instant: Date) => instant.toISOString();

/** An outbox status read from a row. */
export function outboxStatusOf(value: unknown): OutboxStatus {
  const status = outboxStatuses.find((name) => name === value);
  if (!status) throw new TypeError(`unknown outbox status ${String(value)}`);
  return status;
}
