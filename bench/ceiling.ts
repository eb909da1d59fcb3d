import { sql } from "drizzle-orm";
import type { Database } from "../src/db/client.js";
import { numberOf, rowsOf } from "../src/db/sql-rows.js";

export interface CeilingFigures {
  transactions: number;
  transactionsPerSecond: number;
}

const contacts = 1000;
let runs = 0;

/**
 * The database's own ceiling: the bare turn transaction (insert the inbound row ON CONFLICT DO
 * NOTHING, SELECT the conversation FOR UPDATE, UPDATE its jsonb state, insert one outbox row,
 * commit) on the driver's own client and connection pool, `inFlight` at a time.
 */
export async function bareTurnCeiling(
  database: Database,
  transactions: number,
  inFlight: number,
): Promise<CeilingFigures> {
  const run = ++runs;
  const first = await seedContacts(database, `bare${run}`);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < transactions) {
        const n = next++;
        await bareTurn(database, {
          contactId: first + (n % contacts),
          externalId: `bare${run}-${n}`,
          sequence: n + 1,
          state: JSON.stringify({ step: "nama", variables: { nama: "Siti Aminah", turn: n } }),
          payload: JSON.stringify({ text: "Siapa nama lengkap Anda?" }),
        });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { transactions, transactionsPerSecond: transactions / seconds };
}

interface BareTurn {
  contactId: number;
  externalId: string;
  sequence: number;
  state: string;
  payload: string;
}

async function bareTurn(database: Database, turn: BareTurn): Promise<void> {
  const { contactId, externalId, sequence, state, payload } = turn;
  // The contact's identity has the contact's id (seedContacts inserts them pairwise).
  if (database.driver === "postgres") {
    await database.client.begin(async (tx) => {
      await tx`insert into inbound_messages (channel, external_id, identity_id, contact_id, kind, text, received_at)
        values ('simulator', ${externalId}, ${contactId}, ${contactId}, 'text', 'halo', now())
        on conflict do nothing`;
      await tx`select variables from conversations where contact_id = ${contactId} for update`;
      await tx`update conversations set variables = ${state}::jsonb, updated_at = now() where contact_id = ${contactId}`;
      await tx`insert into outbox_messages (contact_id, identity_id, channel, sequence, payload)
        values (${contactId}, ${contactId}, 'simulator', ${sequence}, ${payload}::jsonb)`;
    });
    return;
  }
  await database.client.transaction(async (tx) => {
    await tx.query(
      `insert into inbound_messages (channel, external_id, identity_id, contact_id, kind, text, received_at)
       values ('simulator', $1, $2, $2, 'text', 'halo', now()) on conflict do nothing`,
      [externalId, contactId],
    );
    await tx.query("select variables from conversations where contact_id = $1 for update", [
      contactId,
    ]);
    await tx.query(
      "update conversations set variables = $2::jsonb, updated_at = now() where contact_id = $1",
      [contactId, state],
    );
    await tx.query(
      `insert into outbox_messages (contact_id, identity_id, channel, sequence, payload)
       values ($1, $1, 'simulator', $2, $3::jsonb)`,
      [contactId, sequence, payload],
    );
  });
}

/**
 * Adds `contacts` residents, each with an identity and a conversation; identities get the same
 * ids as their contacts (the sequences are moved past both first). Returns the first id.
 */
async function seedContacts(database: Database, prefix: string): Promise<number> {
  const { db } = database;
  const [row] = rowsOf(
    await db.execute(sql`select greatest(
        (select coalesce(max(id), 0) from contacts),
        (select coalesce(max(id), 0) from channel_identities)) + 1 as first`),
  );
  const first = numberOf(row?.first);
  await db.execute(sql`
    insert into contacts (id, name, created_at) overriding system value
    select ${first}::bigint + n, 'Warga ' || n, now() from generate_series(0, ${contacts - 1}) as n`);
  await db.execute(sql`
    insert into channel_identities (id, contact_id, channel, external_id, created_at) overriding system value
    select ${first}::bigint + n, ${first}::bigint + n, 'simulator', ${prefix} || '-' || n, now()
    from generate_series(0, ${contacts - 1}) as n`);
  await db.execute(sql`
    insert into conversations (contact_id, flow_id, step_id, flow_version, variables)
    select ${first}::bigint + n, 'daftar', 'nama', 1, '{}' from generate_series(0, ${contacts - 1}) as n`);
  await db.execute(
    sql`select setval(pg_get_serial_sequence('contacts', 'id'), ${first + contacts})`,
  );
  await db.execute(
    sql`select setval(pg_get_serial_sequence('channel_identities', 'id'), ${first + contacts})`,
  );
  return first;
}
