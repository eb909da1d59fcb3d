import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { SendResult } from "../channels/adapter.js";
import { type ChannelName, channelLabels } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { channelIdentities, type OutboxStatus, outboxMessages } from "../db/schema/index.js";
import { numberOf, rowsOf } from "../db/sql-rows.js";
import type { ClaimedMessage } from "./claim.js";

export interface OutcomeOptions {
  workerId: string;
  now: Date;
  /** After this many attempts a retry becomes `failed`. */
  maxAttempts: number;
  /** A number in [0, 1): the backoff jitter. */
  random: () => number;
}

/**
 * What recording an outcome did to the row. `lost`: this worker no longer held the lease (it
 * ran out and another worker took the row over), so nothing was written.
 */
export type Settlement = "sent" | "retry" | "failed" | "unreachable" | "lost";

const backoffBaseMs = 5_000;
const backoffCapMs = 3_600_000;
const maxReasonLength = 300;

/**
 * Exponential backoff by attempt (5 s, 10 s, 20 s … at most 1 hour), with "equal jitter": half
 * fixed, half random, so workers that failed together do not retry together.
 */
export function backoffMs(attempts: number, random: () => number): number {
  const exponential = Math.min(backoffCapMs, backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** Why a row did not go, in words a staff member understands (shown in the console). */
export const reasons = {
  unreachable: (reason: string) =>
    `Warga memblokir bot atau nomor tidak aktif (${shorten(reason)})`,
  invalid: (channel: ChannelName, reason: string) =>
    `Ditolak oleh ${channelLabels[channel]}: ${shorten(reason)}`,
  retrying: (attempts: number, reason: string) =>
    `Percobaan ke-${attempts} gagal, akan dicoba lagi: ${shorten(reason)}`,
  gaveUp: (attempts: number, reason: string) =>
    `Gagal terkirim setelah ${attempts} kali mencoba (terakhir: ${shorten(reason)})`,
  cancelledUnreachable: (channel: ChannelName) =>
    `Dibatalkan: warga tidak bisa dihubungi lewat ${channelLabels[channel]}`,
  badPayload: (problem: string) => `Isi pesan tidak valid: ${shorten(problem)}`,
  adapterError: "Terjadi kesalahan tak terduga pada saluran pengiriman",
} as const;

function shorten(reason: string): string {
  const flat = reason.replace(/\s+/g, " ").trim() || "tanpa keterangan";
  return flat.length > maxReasonLength ? `${flat.slice(0, maxReasonLength - 1)}…` : flat;
}

type RowUpdate = Partial<typeof outboxMessages.$inferInsert> & { status: OutboxStatus };

/** Writes `update` only while this worker still holds the row's lease from this claim. */
async function settle(
  db: Db,
  claim: ClaimedMessage,
  workerId: string,
  update: RowUpdate,
): Promise<boolean> {
  const rows = await db
    .update(outboxMessages)
    .set({ ...update, leasedBy: null, leaseUntil: null })
    .where(
      and(
        eq(outboxMessages.id, claim.id),
        eq(outboxMessages.status, "sending"),
        eq(outboxMessages.leasedBy, workerId),
        eq(outboxMessages.attempts, claim.attempts),
      ),
    )
    .returning({ id: outboxMessages.id });
  return rows.length > 0;
}

/**
 * Records how a send ended:
 * - `sent`: status sent, `sent_at`, the platform's message id;
 * - `retry`: pending again at now + max(`afterMs`, backoff), or `failed` after `maxAttempts`;
 * - `unreachable`: status unreachable, the identity marked unreachable, and the contact's other
 *   pending notices and broadcasts to that identity cancelled (replies still go: a resident who
 *   writes again is reachable again);
 * - `invalid`: failed.
 * Every write checks the lease, so a worker whose lease ran out cannot overwrite a newer outcome.
 */
export async function recordOutcome(
  db: Db,
  claim: ClaimedMessage,
  result: SendResult,
  options: OutcomeOptions,
): Promise<Settlement> {
  const { workerId, now } = options;
  switch (result.kind) {
    case "sent": {
      const done = await recordSent(db, workerId, [
        { claim, platformMessageId: result.platformMessageId, sentAt: now },
      ]);
      return done.has(claim.id) ? "sent" : "lost";
    }
    case "retry": {
      if (claim.attempts >= options.maxAttempts) {
        const done = await settle(db, claim, workerId, {
          status: "failed",
          lastError: reasons.gaveUp(claim.attempts, result.reason),
        });
        return done ? "failed" : "lost";
      }
      const delay = Math.max(result.afterMs, backoffMs(claim.attempts, options.random));
      const done = await settle(db, claim, workerId, {
        status: "pending",
        notBefore: new Date(now.getTime() + delay),
        lastError: reasons.retrying(claim.attempts, result.reason),
      });
      return done ? "retry" : "lost";
    }
    case "invalid":
      return (await markFailed(db, claim, workerId, reasons.invalid(claim.channel, result.reason)))
        ? "failed"
        : "lost";
    case "unreachable":
      return (await markUnreachable(db, claim, workerId, now, result.reason))
        ? "unreachable"
        : "lost";
  }
}

export interface SentMessage {
  claim: ClaimedMessage;
  platformMessageId: string;
  sentAt: Date;
}

/**
 * Records many sends in one statement (one commit): status sent, `sent_at`, the platform's id,
 * lease cleared; each only while this worker still holds that row's lease from that claim.
 * Resolves with the ids it recorded.
 */
export async function recordSent(
  db: Db,
  workerId: string,
  sent: readonly SentMessage[],
): Promise<Set<number>> {
  if (sent.length === 0) return new Set();
  const values = sql.join(
    sent.map(
      ({ claim, platformMessageId, sentAt }) =>
        sql`(${claim.id}::bigint, ${claim.attempts}::integer, ${platformMessageId}::text, ${sentAt.toISOString()}::timestamptz)`,
    ),
    sql`, `,
  );
  const result = await db.execute(sql`
    update outbox_messages m
    set status = 'sent', sent_at = v.sent_at, platform_message_id = v.platform_message_id,
        leased_by = null, lease_until = null, last_error = null
    from (values ${values}) as v(id, attempts, platform_message_id, sent_at)
    where m.id = v.id and m.attempts = v.attempts
      and m.status = 'sending' and m.leased_by = ${workerId}
    returning m.id
  `);
  return new Set(rowsOf(result).map((row) => numberOf(row.id)));
}

/** Failed for good, with `reason` (Indonesian) as the last error. */
export async function markFailed(
  db: Db,
  claim: ClaimedMessage,
  workerId: string,
  reason: string,
): Promise<boolean> {
  return settle(db, claim, workerId, { status: "failed", lastError: reason });
}

async function markUnreachable(
  db: Db,
  claim: ClaimedMessage,
  workerId: string,
  now: Date,
  reason: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const done = await settle(tx, claim, workerId, {
      status: "unreachable",
      lastError: reasons.unreachable(reason),
    });
    if (!done) return false;
    await tx
      .update(channelIdentities)
      .set({ unreachableAt: now })
      .where(
        and(eq(channelIdentities.id, claim.identityId), isNull(channelIdentities.unreachableAt)),
      );
    await tx
      .update(outboxMessages)
      .set({ status: "cancelled", lastError: reasons.cancelledUnreachable(claim.channel) })
      .where(
        and(
          eq(outboxMessages.contactId, claim.contactId),
          eq(outboxMessages.identityId, claim.identityId),
          eq(outboxMessages.status, "pending"),
          gt(outboxMessages.priority, 0),
        ),
      );
    return true;
  });
}
