import { sql } from "drizzle-orm";
import type { InboundMessage } from "../src/channels/contract.js";
import { loadConfig } from "../src/config.js";
import { type Core, openCore } from "../src/core.js";
import type { Database } from "../src/db/client.js";
import { rowsOf, textOf } from "../src/db/sql-rows.js";
import { createLogger } from "../src/log.js";

/**
 * One resident's registration conversation from the shipped flows: consent, profile (each
 * resident types their own phone number), choosing a programme, confirming. Every message is
 * one durable turn.
 */
export function registrationConversation(phone: string): string[] {
  return [
    "halo",
    "setuju",
    "1",
    "Siti Aminah",
    "4",
    "gunung sari ilir",
    "5",
    phone,
    "ya",
    "1",
    "ya",
  ];
}

export const turnsPerResident = registrationConversation("").length;

/** Residents of one benchmark run: `${prefix}-${index}`, each with a phone number of their own. */
export class ResidentGroup {
  private static phones = 10_000_000;
  private readonly firstPhone: number;
  private sent = 0;

  constructor(
    readonly prefix: string,
    readonly count: number,
  ) {
    this.firstPhone = ResidentGroup.phones;
    ResidentGroup.phones += count;
  }

  /** The resident's conversation, as the messages a channel would hand the pipeline. */
  messages(index: number): InboundMessage[] {
    const sender = `${this.prefix}-${index}`;
    return registrationConversation(`0812 ${this.firstPhone + index}`).map((text) => ({
      channel: "simulator",
      externalId: `${sender}-${this.sent++}`,
      senderId: sender,
      receivedAt: new Date(),
      content: { kind: "text", text },
    }));
  }
}

/** A reply with what differs between residents (phone number, seats left) blanked out. */
function normalised(text: string): string {
  return text.replace(/\+62812\d{8}/g, "+62812…").replace(/sisa \d+ kursi/g, "sisa … kursi");
}

/**
 * Berdaya's core on a benchmark database: demo programmes, with seats for every resident. The
 * flood limit is at its highest, above what one bench resident sends: they answer at machine
 * speed, many times faster than a person.
 */
export async function benchCore(database: Database): Promise<Core> {
  const config = loadConfig(
    { SEED_DEMO: "true", LOG_LEVEL: "silent", FLOOD_LIMIT: "1000" },
    "/dev/null/none",
  );
  const core = await openCore(config, createLogger("silent"), { database });
  await database.db.execute(sql`update programmes set capacity = 1000000`);
  return core;
}

export interface Correctness {
  residents: number;
  /** Residents registered whose replies are exactly the expected ones, in order, once each. */
  correct: number;
}

/**
 * Reads what the group's residents were sent (their reply rows, in sequence order) and
 * whether they ended registered, and compares it with `expected` (from a resident who held the
 * conversation alone). BENCH_DEBUG=1 prints each resident who ended otherwise.
 */
export async function checkGroup(
  database: Database,
  group: ResidentGroup,
  expected: readonly string[],
): Promise<Correctness> {
  const pattern = `${group.prefix}-%`;
  const replies = rowsOf(
    await database.db.execute(sql`
      select ci.external_id as resident, o.payload ->> 'text' as text
      from channel_identities ci
        join outbox_messages o on o.contact_id = ci.contact_id and o.identity_id = ci.id
      where ci.channel = 'simulator' and ci.external_id like ${pattern} and o.priority = 0
      order by o.contact_id, o.sequence`),
  );
  const registered = rowsOf(
    await database.db.execute(sql`
      select ci.external_id as resident
      from registrations r join channel_identities ci on ci.contact_id = r.contact_id
      where ci.channel = 'simulator' and ci.external_id like ${pattern} and r.status = 'registered'`),
  );
  const sent = new Map<string, string[]>();
  for (const row of replies) {
    const resident = textOf(row.resident);
    const list = sent.get(resident) ?? [];
    list.push(normalised(textOf(row.text)));
    sent.set(resident, list);
  }
  const registeredOnce = new Map<string, number>();
  for (const row of registered) {
    const resident = textOf(row.resident);
    registeredOnce.set(resident, (registeredOnce.get(resident) ?? 0) + 1);
  }
  let correct = 0;
  for (let index = 0; index < group.count; index++) {
    const resident = `${group.prefix}-${index}`;
    const texts = sent.get(resident) ?? [];
    const same = texts.length === expected.length && texts.every((text, i) => text === expected[i]);
    if (same && registeredOnce.get(resident) === 1) correct++;
    else if (process.env.BENCH_DEBUG) {
      console.error(
        resident,
        registeredOnce.get(resident),
        JSON.stringify(texts.map((t, i) => (t === expected[i] ? "=" : t.slice(0, 120)))),
      );
    }
  }
  return { residents: group.count, correct };
}

/** One resident holds the conversation alone (also the warm-up); returns the expected replies. */
export async function referenceReplies(core: Core): Promise<string[]> {
  const group = new ResidentGroup(`ref${Date.now()}`, 1);
  const texts: string[] = [];
  for (const message of group.messages(0)) {
    const { replies } = await core.pipeline.receive(message);
    texts.push(...replies.map((reply) => normalised(reply.text)));
  }
  return texts;
}
