import { and, eq } from "drizzle-orm";
import type { Db } from "../../src/db/client.js";
import { channelIdentities, outboxMessages } from "../../src/db/schema/index.js";

/**
 * Sends one message as a simulator resident, with the name their chat app shows if given;
 * answers with the texts of the replies.
 */
export async function say(
  baseUrl: string,
  from: string,
  text: string,
  name?: string,
): Promise<string[]> {
  const response = await fetch(`${baseUrl}/api/simulator/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from, text, ...(name ? { name } : {}) }),
  });
  if (response.status !== 200) throw new Error(`simulator answered ${response.status}`);
  const body = (await response.json()) as { replies: { text: string }[] };
  return body.replies.map((reply) => reply.text);
}

/**
 * A new resident registers for the programme `code` through the simulator, the way a resident
 * on WhatsApp would: consent, profile (Balikpapan Tengah, Gunung Sari Ulu, ibu rumah tangga),
 * confirm, register. Answers with the replies of the last turn.
 */
export async function registerThroughSimulator(
  baseUrl: string,
  resident: { from: string; name: string; phone: string; code: string },
): Promise<string[]> {
  const turns = [`daftar ${resident.code}`, "setuju", resident.name, "4", "1", "5"];
  turns.push(resident.phone, "ya", "ya");
  let replies: string[] = [];
  for (const text of turns) replies = await say(baseUrl, resident.from, text);
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
