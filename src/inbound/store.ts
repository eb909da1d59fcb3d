import { sql } from "drizzle-orm";
import type { InboundMessage } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { numberOf, rowsOf } from "../db/sql-rows.js";
import { createIdentity, type IdentityInput, touchedIdentities } from "../domain/contacts.js";
import { settleAll } from "./settle-all.js";

/** A stored inbound message and the contact it came from. */
export interface StoredInbound {
  id: number;
  contactId: number;
}

/**
 * Stores the messages, in the caller's transaction; undefined for a message whose channel
 * message id was stored before. Messages from known addresses (nearly all) take one statement
 * together, which marks the addresses active and inserts the messages; the first message of an
 * address creates its contact first (createIdentity).
 */
export async function storeInbounds(
  tx: Db,
  messages: readonly InboundMessage[],
): Promise<(StoredInbound | undefined)[]> {
  const stored = await insertFromKnownAddresses(tx, messages);
  const firsts = messages.filter((_, index) => stored[index] === unknownAddress);
  if (firsts.length > 0) {
    // Side by side; two first messages of one address still make one contact (createIdentity).
    await settleAll(firsts.map((message) => createIdentity(tx, addressOf(message))));
    const storedNow = (await insertFromKnownAddresses(tx, firsts)).values();
    for (const [index, inbound] of stored.entries()) {
      if (inbound === unknownAddress) stored[index] = storedNow.next().value;
    }
  }
  return stored.map((inbound) => (inbound === unknownAddress ? undefined : inbound));
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

const unknownAddress = Symbol("unknown address");

/** Per message: stored, undefined when stored before, or unknownAddress. */
async function insertFromKnownAddresses(
  tx: Db,
  messages: readonly InboundMessage[],
): Promise<(StoredInbound | undefined | typeof unknownAddress)[]> {
  const arrived = messages.map((message) => {
    const { kind, ...payload } = message.content;
    const hasText = "text" in payload;
    return {
      ...addressOf(message),
      message_id: message.externalId,
      kind,
      text: hasText ? payload.text : null,
      payload: hasText ? null : payload,
      received_at: message.receivedAt.toISOString(),
    };
  });
  const extra = sql`, message_id text, kind text, text text, payload jsonb,
    received_at timestamptz`;
  const rows = rowsOf(
    await tx.execute(sql`${touchedIdentities(arrived, extra)}, stored as (
        insert into inbound_messages (channel, external_id, identity_id, contact_id, kind, text,
          payload, received_at)
        select a.channel, a.message_id, t.id, t.contact_id, a.kind, a.text, a.payload,
          a.received_at
        from arrived a join touched t using (ord)
        order by a.ord
        on conflict do nothing
        returning id, contact_id, channel, external_id
      )
      select a.ord, t.id as identity_id, s.id, s.contact_id
      from arrived a
        left join touched t using (ord)
        left join stored s on s.channel = a.channel and s.external_id = a.message_id
      order by a.ord`),
  );
  return rows.map((row) => {
    if (row.identity_id === null) return unknownAddress;
    if (row.id === null) return undefined;
    return { id: numberOf(row.id), contactId: numberOf(row.contact_id) };
  });
}
