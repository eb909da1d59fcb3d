import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { organisations, staffUsers } from "../db/schema/index.js";
import {
  hashPassword,
  minPasswordLength,
  unusablePasswordHash,
  verifyPassword,
} from "./passwords.js";
import type { StaffMember, StaffRole } from "./principal.js";

export interface NewStaffUser {
  email: string;
  name: string;
  password: string;
  role: StaffRole;
  organisationId: number;
}

export class AccountError extends Error {
  constructor(
    readonly field: "email" | "password" | "organisation",
    message: string,
  ) {
    super(message);
  }
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function checkPassword(password: string): void {
  if (password.length < minPasswordLength) {
    throw new AccountError("password", `Kata sandi minimal ${minPasswordLength} karakter.`);
  }
}

/** Adds a staff account; throws AccountError naming the field when an input is not acceptable. */
export async function createStaffUser(db: Db, user: NewStaffUser): Promise<number> {
  const email = normaliseEmail(user.email);
  if (!emailPattern.test(email)) throw new AccountError("email", "Alamat email tidak valid.");
  checkPassword(user.password);
  const [existing] = await db
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(eq(staffUsers.email, email));
  if (existing) throw new AccountError("email", "Email ini sudah dipakai akun lain.");
  const [created] = await db
    .insert(staffUsers)
    .values({
      email,
      name: user.name.trim() || email,
      passwordHash: await hashPassword(user.password),
      role: user.role,
      organisationId: user.organisationId,
    })
    .returning({ id: staffUsers.id });
  if (!created) throw new Error("staff user was not inserted");
  return created.id;
}

const staffColumns = {
  id: staffUsers.id,
  name: staffUsers.name,
  email: staffUsers.email,
  role: staffUsers.role,
  organisationId: staffUsers.organisationId,
  organisationName: organisations.name,
  passwordHash: staffUsers.passwordHash,
};

/** The active account with this id, as the console sees it. */
export async function findStaff(db: Db, id: number): Promise<StaffMember | undefined> {
  const [row] = await db
    .select(staffColumns)
    .from(staffUsers)
    .innerJoin(organisations, eq(organisations.id, staffUsers.organisationId))
    .where(and(eq(staffUsers.id, id), isNull(staffUsers.disabledAt)));
  return row ? withoutHash(row) : undefined;
}

/** The account for this email and password, or undefined (taking as long either way). */
export async function authenticate(
  db: Db,
  email: string,
  password: string,
): Promise<StaffMember | undefined> {
  const [row] = await db
    .select(staffColumns)
    .from(staffUsers)
    .innerJoin(organisations, eq(organisations.id, staffUsers.organisationId))
    .where(and(eq(staffUsers.email, normaliseEmail(email)), isNull(staffUsers.disabledAt)));
  const matches = await verifyPassword(password, row?.passwordHash ?? unusablePasswordHash);
  return row && matches ? withoutHash(row) : undefined;
}

export async function changePassword(
  db: Db,
  staffId: number,
  current: string,
  next: string,
): Promise<void> {
  const [row] = await db
    .select({ passwordHash: staffUsers.passwordHash })
    .from(staffUsers)
    .where(eq(staffUsers.id, staffId));
  if (!row || !(await verifyPassword(current, row.passwordHash))) {
    throw new AccountError("password", "Kata sandi lama salah.");
  }
  checkPassword(next);
  await db
    .update(staffUsers)
    .set({ passwordHash: await hashPassword(next) })
    .where(eq(staffUsers.id, staffId));
}

export async function hasAdministrator(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(and(eq(staffUsers.role, "admin"), isNull(staffUsers.disabledAt)))
    .limit(1);
  return row !== undefined;
}

function withoutHash({
  passwordHash: _,
  ...staff
}: StaffMember & { passwordHash: string }): StaffMember {
  return staff;
}
