import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { apiTokens, organisations } from "../db/schema/index.js";
import { recordAudit } from "./audit.js";
import { mayAccess, ownedBy, type Staff, type StaffMember } from "./principal.js";
import { hashToken, randomToken } from "./secrets.js";

/** Every API token starts with this, so a leaked one is easy to recognise and search for. */
export const apiTokenPrefix = "bdy_";

export interface ApiTokenRow {
  id: number;
  name: string;
  organisationId: number;
  organisationName: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Creates a token for an organisation; the token itself is returned once and never stored. */
export async function createApiToken(
  db: Db,
  staff: StaffMember,
  request: { organisationId: number; name: string },
): Promise<{ id: number; token: string } | undefined> {
  if (!mayAccess(staff, request.organisationId)) return undefined;
  const token = `${apiTokenPrefix}${randomToken()}`;
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(apiTokens)
      .values({
        organisationId: request.organisationId,
        name: request.name,
        tokenHash: hashToken(token),
        createdBy: staff.id,
      })
      .returning({ id: apiTokens.id });
    if (!created) throw new Error("API token was not inserted");
    await recordAudit(tx, staff, {
      action: "api_token.create",
      subjectType: "api_token",
      subjectId: created.id,
      details: { organisationId: request.organisationId },
    });
    return { id: created.id, token };
  });
}

export function listApiTokens(db: Db, staff: Staff): Promise<ApiTokenRow[]> {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      organisationId: apiTokens.organisationId,
      organisationName: organisations.name,
      createdAt: apiTokens.createdAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .innerJoin(organisations, eq(organisations.id, apiTokens.organisationId))
    .where(ownedBy(staff, apiTokens.organisationId))
    .orderBy(desc(apiTokens.createdAt));
}

/** Revokes a token `staff` may manage; false when there is no such token for them. */
export async function revokeApiToken(
  db: Db,
  staff: StaffMember,
  id: number,
  now: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(
        and(
          eq(apiTokens.id, id),
          isNull(apiTokens.revokedAt),
          ownedBy(staff, apiTokens.organisationId),
        ),
      )
      .returning({ id: apiTokens.id });
    if (revoked.length === 0) return false;
    await recordAudit(tx, staff, {
      action: "api_token.revoke",
      subjectType: "api_token",
      subjectId: id,
    });
    return true;
  });
}

/** Who a bearer token acts as: its organisation, with staff (not administrator) rights. */
export async function principalForToken(db: Db, token: string): Promise<Staff | undefined> {
  const [row] = await db
    .select({
      name: apiTokens.name,
      organisationId: apiTokens.organisationId,
      organisationName: organisations.name,
    })
    .from(apiTokens)
    .innerJoin(organisations, eq(organisations.id, apiTokens.organisationId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)));
  return row ? { ...row, id: null, email: null, role: "staff" } : undefined;
}
