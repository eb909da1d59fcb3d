import { asc } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { organisations } from "../db/schema/index.js";
import type { Logger } from "../log.js";
import { createStaffUser, hasAdministrator } from "./accounts.js";
import { randomToken } from "./secrets.js";

export const demoAdminEmail = "admin@berdaya.local";

/** The organisation a new administrator belongs to: the first one, or a new one by this name. */
export async function homeOrganisation(db: Db, name: string): Promise<number> {
  const [first] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .orderBy(asc(organisations.id))
    .limit(1);
  if (first) return first.id;
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "organisasi";
  const [created] = await db
    .insert(organisations)
    .values({ slug, name, kind: "pemerintah" })
    .returning({ id: organisations.id });
  if (!created) throw new Error("organisation was not inserted");
  return created.id;
}

export interface FirstAdminSettings {
  organisationName: string;
  /** From ADMIN_EMAIL and ADMIN_PASSWORD. */
  admin?: { email: string; password: string } | undefined;
  /** On the demo database an administrator with a random password is made and printed once. */
  demo: boolean;
}

/**
 * On a database without an administrator: creates the one ADMIN_EMAIL/ADMIN_PASSWORD name, or
 * on the demo database one with a fresh random password (printed once), or says how to make one.
 */
export async function ensureFirstAdmin(db: Db, settings: FirstAdminSettings, log: Logger) {
  if (await hasAdministrator(db)) return;
  const organisationId = await homeOrganisation(db, settings.organisationName);
  if (settings.admin) {
    await createStaffUser(db, {
      ...settings.admin,
      name: "Administrator",
      role: "admin",
      organisationId,
    });
    log.info("console administrator created from ADMIN_EMAIL");
  } else if (settings.demo) {
    const password = randomToken().slice(0, 16);
    await createStaffUser(db, {
      email: demoAdminEmail,
      name: "Administrator",
      password,
      role: "admin",
      organisationId,
    });
    console.log(
      `\nKonsol staf: /console — masuk dengan ${demoAdminEmail} dan kata sandi ${password}\n(hanya ditampilkan sekali; ganti di halaman Akun)\n`,
    );
  } else {
    log.warn(
      "no console administrator yet: run `npm run admin:create` or set ADMIN_EMAIL and ADMIN_PASSWORD",
    );
  }
}
