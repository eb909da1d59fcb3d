import { and, eq } from "drizzle-orm";
import type { Db } from "../../src/db/client.js";
import { channelIdentities, outboxMessages } from "../../src/db/schema/index.js";

/**
 * Sends one message as a simulator resident, with the name their chat app shows if given;
 * answers with the HTTP status and, when it is 200, the texts of the replies.
 */
export async function trySay(
  baseUrl: string,
  from: string,
  text: string,
  name?: string,
): Promise<{ status: number; replies: string[] }> {
  const response = await fetch(`${baseUrl}/api/simulator/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from, text, ...(name ? { name } : {}) }),
  });
  if (response.status !== 200) {
    await response.arrayBuffer();
    return { status: response.status, replies: [] };
  }
  const body = (await response.json()) as { replies: { text: string }[] };
  return { status: 200, replies: body.replies.map((reply) => reply.text) };
}

/** Like `trySay`, but throws unless the simulator answered 200; answers with the replies. */
export async function say(
  baseUrl: string,
  from: string,
  text: string,
  name?: string,
): Promise<string[]> {
  const { status, replies } = await trySay(baseUrl, from, text, name);
  if (status !== 200) throw new Error(`simulator answered ${status}`);
  return replies;
}

/**
 * What a new resident types to register for the programme `code`: consent, profile (Balikpapan
 * Tengah, Gunung Sari Ulu, ibu rumah tangga), phone, confirm, register.
 */
export function registrationTurns(resident: { name: string; phone: string; code: string }) {
  return [
    `daftar ${resident.code}`,
    "setuju",
    resident.name,
    "4",
    "1",
    "5",
    resident.phone,
    "ya",
    "ya",
  ];
}

/**
 * A new resident registers for the programme `code` through the simulator, the way a resident
 * on WhatsApp would (`registrationTurns`). Answers with the replies of the last turn.
 */
export async function registerThroughSimulator(
  baseUrl: string,
  resident: { from: string; name: string; phone: string; code: string },
): Promise<string[]> {
  let replies: string[] = [];
  for (const text of registrationTurns(resident)) replies = await say(baseUrl, resident.from, text);
  return replies;
}

/** The contact behind a simulator resident. */
export async function simulatorContact(db: Db, from: string): Promise<number> {
  const [identity] = await db
    .select({ contactId: channelIdentities.contactId })
    .from(channelIdentities)
    .where(and(eq(channelIdentities.channel, "simulator"), eq(channelIdentities.externalId, from)));
  if (!identity) throw new Error(`no simulator resident ${from}`);
  return identity.contactId;
}

/** Every text queued in the outbox for a contact, oldest first. */
export async function outboxTexts(db: Db, contactId: number): Promise<string[]> {
  const rows = await db
    .select({ payload: outboxMessages.payload })
    .from(outboxMessages)
    .where(eq(outboxMessages.contactId, contactId))
    .orderBy(outboxMessages.id);
  return rows.map((row) => String(row.payload.text));
}
