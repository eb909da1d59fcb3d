import { sql } from "drizzle-orm";
import type { InboundMessage } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { numberOf, rowsOf } from "../db/sql-rows.js";
import { ensureIdentity, type IdentityInput, touchedIdentity } from "../domain/contacts.js";

/** A stored inbound message and the contact it came from. */
export interface StoredInbound {
  id: number;
  contactId: number;
}

/**
 * Stores the messages, in the caller's transaction; undefined for a message whose channel
 * message id was stored before. Messages from known addresses (nearly all) take one statement
 * each, sent together, that marks the address active and inserts the message; the first
 * message of an address creates its contact first (ensureIdentity), one at a time.
 */
export async function storeInbounds(
  tx: Db,
  messages: readonly InboundMessage[],
): Promise<(StoredInbound | undefined)[]> {
  const known = await Promise.all(
    messages.map((message) => insertFromKnownAddress(tx, addressOf(message), message)),
  );
  const stored: (StoredInbound | undefined)[] = [];
  for (const [index, message] of messages.entries()) {
    const fromKnown = known[index];
    if (fromKnown) {
      stored.push(fromKnown.stored);
      continue;
    }
    await ensureIdentity(tx, addressOf(message));
    stored.push((await insertFromKnownAddress(tx, addressOf(message), message))?.stored);
  }
  return stored;
}

function addressOf(message: InboundMessage): IdentityInput {
  return {
    channel: message.channel,
    externalId: message.senderId,
    now: message.receivedAt,
    ...(message.displayName ? { displayName: message.displayName } : {}),
    ...(message.phone ? { phone: message.phone } : {}),
  };
}

/** Undefined for an unknown address; `stored` is undefined for a message stored before. */
async function insertFromKnownAddress(
  tx: Db,
  address: IdentityInput,
  message: InboundMessage,
): Promise<{ stored: StoredInbound | undefined } | undefined> {
  const { kind, ...payload } = message.content;
  const hasText = "text" in payload;
  const [row] = rowsOf(
    await tx.execute(sql`${touchedIdentity(address)}, stored as (
        insert into inbound_messages (channel, external_id, identity_id, contact_id, kind, text,
          payload, received_at)
        select ${message.channel}, ${message.externalId}, id, contact_id, ${kind},
          ${hasText ? payload.text : null}::text, ${hasText ? null : JSON.stringify(payload)}::jsonb,
          ${message.receivedAt.toISOString()}::timestamptz
        from touched
        on conflict do nothing
        returning id, contact_id
      )
      select s.id, s.contact_id from touched left join stored s on true`),
  );
  if (!row) return undefined;
  if (row.id === null) return { stored: undefined };
  return { stored: { id: numberOf(row.id), contactId: numberOf(row.contact_id) } };
}
