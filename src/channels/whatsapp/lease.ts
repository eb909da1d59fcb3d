import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { and, eq, lt, or } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { leases } from "../../db/schema/index.js";

/** The lease that says which process holds the WhatsApp Web session (DESIGN.md invariant 6). */
export const whatsappLeaseName = "whatsapp-session";

export interface LeaseRequest {
  name: string;
  holder: string;
  now: Date;
  ttlMs: number;
}

/**
 * Takes or renews a lease: inserts it, or takes over the row when it expired or is already
 * ours, in one statement (two processes racing for it cannot both win). True when `holder`
 * holds it until `now + ttlMs`.
 */
export async function takeLease(db: Db, request: LeaseRequest): Promise<boolean> {
  const expiresAt = new Date(request.now.getTime() + request.ttlMs);
  const rows = await db
    .insert(leases)
    .values({ name: request.name, holder: request.holder, expiresAt })
    .onConflictDoUpdate({
      target: leases.name,
      set: { holder: request.holder, expiresAt },
      setWhere: or(lt(leases.expiresAt, request.now), eq(leases.holder, request.holder)),
    })
    .returning({ holder: leases.holder });
  return rows.length > 0;
}

/** Gives a lease up, if `holder` still holds it. */
export async function releaseLease(db: Db, lease: { name: string; holder: string }): Promise<void> {
  await db.delete(leases).where(and(eq(leases.name, lease.name), eq(leases.holder, lease.holder)));
}

/**
 * A holder id unique to this process ("host/pid/random"): a second Berdaya started by mistake
 * on the same machine gets its own id, so it waits instead of driving the same session.
 */
export function processHolderId(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}
