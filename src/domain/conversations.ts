import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { numberOf, rowsOf } from "../db/sql-rows.js";
import type { Staff } from "../staff/principal.js";
import { connectedTo } from "../staff/scope.js";
import type { AssistanceReason } from "./assistance.js";
import { displayName, instantOf } from "./broadcasts/rows.js";
import { type HistoryEntry, messageHistory } from "./message-history.js";

/**
 * Percakapan: residents waiting for a person, and their message history, as staff may see them.
 *
 * Who sees whom is the rule for residents in src/staff/scope.ts: an administrator sees every
 * resident; staff see residents connected to their organisation. A resident connected to no
 * organisation is for administrators.
 */

/** SQL: how staff call contact `c`: their name, or the name their chat app shows. */
const nameOfContact = sql`coalesce(nullif(btrim(c.name), ''), (
  select i.display_name from channel_identities i
  where i.contact_id = c.id and i.display_name is not null
  order by i.last_inbound_at desc nulls last limit 1))`;

/** SQL: contact `c` is one `staff` may see (the rule in src/staff/scope.ts). */
function visibleContact(staff: Staff): SQL {
  return connectedTo(staff, sql`c.id`) ?? sql`true`;
}

/** Whether `staff` may see and talk to this resident (erased residents are nobody's). */
export async function mayTalkTo(db: Db, staff: Staff, contactId: number): Promise<boolean> {
  if (!Number.isSafeInteger(contactId) || contactId <= 0) return false;
  const rows = rowsOf(
    await db.execute(sql`
      select 1 from contacts c
      where c.id = ${contactId}::bigint and c.erased_at is null and ${visibleContact(staff)}`),
  );
  return rows.length > 0;
}

export interface WaitingResident {
  requestId: number;
  contactId: number;
  name: string;
  reason: AssistanceReason;
  status: "open" | "in_progress";
  createdAt: Date;
  /** The staff member handling it, if any. */
  assignedTo: string | null;
  /** Since when staff have the conversation (the bot is quiet), or null. */
  handoverSince: Date | null;
}

const reasons: readonly AssistanceReason[] = ["petugas", "pesan_suara", "kekerasan"];
const reasonOf = (value: unknown): AssistanceReason =>
  reasons.find((reason) => reason === value) ?? "petugas";

/** Open and in-progress assistance requests of residents `staff` may see, newest first. */
export async function waitingResidents(db: Db, staff: Staff): Promise<WaitingResident[]> {
  const rows = rowsOf(
    await db.execute(sql`
      select a.id, a.contact_id, ${nameOfContact} as name, a.reason, a.status, s.name as assigned_to,
        extract(epoch from a.created_at) * 1000 as created_ms,
        extract(epoch from c.handover_since) * 1000 as handover_ms
      from assistance_requests a
      join contacts c on c.id = a.contact_id
      left join staff_users s on s.id = a.assigned_staff_id
      where a.status in ('open', 'in_progress') and c.erased_at is null and ${visibleContact(staff)}
      order by a.created_at desc, a.id desc
      limit 200`),
  );
  return rows.map((row) => ({
    requestId: numberOf(row.id),
    contactId: numberOf(row.contact_id),
    name: displayName(row.name),
    reason: reasonOf(row.reason),
    status: row.status === "in_progress" ? "in_progress" : "open",
    createdAt: instantOf(row.created_ms) ?? new Date(0),
    assignedTo: typeof row.assigned_to === "string" ? row.assigned_to : null,
    handoverSince: instantOf(row.handover_ms),
  }));
}

export interface Conversation {
  contactId: number;
  name: string;
  handoverSince: Date | null;
  reasons: AssistanceReason[];
  /** The latest messages, oldest first, with those of contacts linked into this one. */
  history: HistoryEntry[];
}

const historyLength = 100;

/** One resident's conversation for staff, or undefined when `staff` may not see them. */
export async function conversationOf(
  db: Db,
  staff: Staff,
  contactId: number,
): Promise<Conversation | undefined> {
  if (!(await mayTalkTo(db, staff, contactId))) return undefined;
  const [contact] = rowsOf(
    await db.execute(sql`
      select ${nameOfContact} as name, extract(epoch from c.handover_since) * 1000 as handover_ms,
        (select coalesce(array_agg(distinct a.reason), '{}') from assistance_requests a
          where a.contact_id = c.id and a.status in ('open', 'in_progress')) as reasons
      from contacts c where c.id = ${contactId}::bigint`),
  );
  if (!contact) return undefined;
  const history = await messageHistory(db, contactId, historyLength);
  const listed = Array.isArray(contact.reasons) ? contact.reasons : parseArray(contact.reasons);
  return {
    contactId,
    name: displayName(contact.name),
    handoverSince: instantOf(contact.handover_ms),
    reasons: listed.map(reasonOf),
    history,
  };
}

/** A text[] as a driver may return it: "{petugas,pesan_suara}". */
function parseArray(value: unknown): string[] {
  if (typeof value !== "string") return [];
  const inner = value.replace(/^\{|\}$/g, "");
  return inner === "" ? [] : inner.split(",");
}
