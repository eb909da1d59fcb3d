import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc, eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, expect, inject, it } from "vitest";
import { backupDatabase, restoreDatabase } from "../../src/db/backup.js";
import { type DatabaseTarget, type Db, openDatabase } from "../../src/db/client.js";
import { contacts, programmes, registrations } from "../../src/db/schema/index.js";
import { seedDemo } from "../../src/db/seed.js";
import { ensureIdentity } from "../../src/domain/contacts.js";
import { describeEachDriver, freshPostgresDatabase } from "../support/database.js";
import { databaseUrl } from "../support/global-setup.js";
import { runScript } from "../support/process.js";
import { prepareTemplate } from "../support/template.js";

const folder = mkdtempSync(join(tmpdir(), "berdaya-backup-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const now = new Date("2026-11-28T02:00:00Z");

/** Three residents, two of them registered for the first demo programme. */
async function addResidents(db: Db): Promise<void> {
  await seedDemo(db, now);
  const [programme] = await db.select({ id: programmes.id }).from(programmes).limit(1);
  for (const [index, name] of ["Siti Aminah", "Rahmawati", "Yohana"].entries()) {
    const { contactId } = await ensureIdentity(db, {
      channel: "telegram",
      externalId: `9000${index}`,
      now,
    });
    await db.update(contacts).set({ name }).where(eq(contacts.id, contactId));
    if (index < 2 && programme) {
      await db
        .insert(registrations)
        .values({ programmeId: programme.id, contactId, status: "registered" });
    }
  }
}

async function residentsAndRegistrations(target: DatabaseTarget) {
  const database = await openDatabase(target);
  try {
    const residents = await database.db
      .select({ id: contacts.id, name: contacts.name })
      .from(contacts)
      .orderBy(asc(contacts.id));
    const registered = await database.db
      .select({
        contact: registrations.contactId,
        programme: programmes.code,
        status: registrations.status,
      })
      .from(registrations)
      .innerJoin(programmes, eq(programmes.id, registrations.programmeId))
      .orderBy(asc(registrations.id));
    return { residents, registered };
  } finally {
    await database.close();
  }
}

/** A source database with residents, and an empty target to restore into. */
async function databasesFor(driver: "pglite" | "postgres") {
  if (driver === "pglite") {
    const source: DatabaseTarget = { driver, dataDir: join(folder, "source", "pglite") };
    const database = await prepareTemplate(source);
    await addResidents(database.db);
    await database.close();
    return {
      source,
      target: { driver, dataDir: join(folder, "target", "pglite") } as DatabaseTarget,
      drop: async () => {},
    };
  }
  const created = await freshPostgresDatabase();
  const database = await openDatabase({ driver, url: created.url });
  await addResidents(database.db);
  await database.close();
  // The target is an empty database of its own: the restore brings schema and data.
  const server = inject("postgres");
  if (!server) throw new Error("no PostgreSQL");
  const name = `berdaya_restore_${process.pid}_${Date.now()}`;
  const admin = postgres(server.serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  return {
    source: { driver, url: created.url } as DatabaseTarget,
    target: { driver, url: databaseUrl(server.serverUrl, name) } as DatabaseTarget,
    drop: async () => {
      await created.drop();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

describeEachDriver("npm run backup and restore", (driver) => {
  it("restores into a fresh database the same residents and registrations", async () => {
    const { source, target, drop } = await databasesFor(driver);
    try {
      const file = join(folder, `backup-${driver}`);
      await backupDatabase(source, file);
      await restoreDatabase(target, file);
      const before = await residentsAndRegistrations(source);
      expect(before.residents.map((r) => r.name)).toEqual(["Siti Aminah", "Rahmawati", "Yohana"]);
      expect(before.registered).toHaveLength(2);
      expect(await residentsAndRegistrations(target)).toEqual(before);
    } finally {
      await drop();
    }
  }, 120_000);
});

it("npm run backup and npm run restore on the embedded database, the old folder kept aside", async () => {
  const dataDir = join(folder, "cli");
  const database = await prepareTemplate({ driver: "pglite", dataDir: join(dataDir, "pglite") });
  await addResidents(database.db);
  await database.close();
  const file = join(folder, "cli-backup.tar.gz");
  const env = { DATA_DIR: dataDir };
  const backup = runScript("src/cli/backup.ts", env, [file]);
  expect(await backup.exited, backup.stderr()).toBe(0);
  expect(backup.stdout()).toContain(file);
  const restore = runScript("src/cli/restore.ts", env, [file]);
  expect(await restore.exited, restore.stderr()).toBe(0);
  expect(restore.stdout()).toMatch(/Data lama dipindahkan ke .*pglite\.before-restore-/);
  const restored = await residentsAndRegistrations({
    driver: "pglite",
    dataDir: join(dataDir, "pglite"),
  });
  expect(restored.residents.map((r) => r.name)).toEqual(["Siti Aminah", "Rahmawati", "Yohana"]);
  expect(restored.registered).toHaveLength(2);
}, 120_000);
