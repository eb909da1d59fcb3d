import { and, eq, gt, lt, ne } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { staffSessions } from "../db/schema/index.js";
import { findStaff } from "./accounts.js";
import type { StaffMember } from "./principal.js";
import { hashToken, randomToken } from "./secrets.js";

/** A console login lasts a working day. */
export const sessionLifetimeMs = 12 * 3_600_000;

/** Starts a session and returns the token for the cookie; the table keeps only its hash. */
export async function startSession(db: Db, staffId: number, now: Date): Promise<string> {
  const token = randomToken();
  await db.delete(staffSessions).where(lt(staffSessions.expiresAt, now));
  await db.insert(staffSessions).values({
    tokenHash: hashToken(token),
    staffUserId: staffId,
    expiresAt: new Date(now.getTime() + sessionLifetimeMs),
  });
  return token;
}

/** The staff member this session token belongs to, while it is valid and the account active. */
export async function staffForSession(
  db: Db,
  token: string,
  now: Date,
): Promise<StaffMember | undefined> {
  const [session] = await db
    .select({ staffUserId: staffSessions.staffUserId })
    .from(staffSessions)
    .where(and(eq(staffSessions.tokenHash, hashToken(token)), gt(staffSessions.expiresAt, now)));
  return session ? findStaff(db, session.staffUserId) : undefined;
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.delete(staffSessions).where(eq(staffSessions.tokenHash, hashToken(token)));
}

/** Ends a staff member's other sessions (after a password change). */
export async function endOtherSessions(db: Db, staffId: number, keepToken: string): Promise<void> {
  await db
    .delete(staffSessions)
    .where(
      and(
        eq(staffSessions.staffUserId, staffId),
        ne(staffSessions.tokenHash, hashToken(keepToken)),
      ),
    );
}
