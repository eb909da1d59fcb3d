import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, describe, inject } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { databaseUrl } from "./global-setup.js";

export type Driver = Database["driver"];

/** A fresh database cloned from the run's migrated template. Close it with `database.close()`. */
export async function freshDatabase(driver: Driver): Promise<Database> {
  if (driver === "pglite") {
    const template = new Blob([readFileSync(inject("pgliteTemplatePath"))]);
    return openDatabase({ driver: "pglite", dataDir: undefined, loadDataDir: template });
  }
  const created = await freshPostgresDatabase();
  const database = await openDatabase({ driver: "postgres", url: created.url });
  return {
    ...database,
    close: async () => {
      await database.close();
      await created.drop();
    },
  };
}

/**
 * A fresh PostgreSQL database of its own (unique name) cloned from the run's migrated
 * template, for tests that connect themselves or start Berdaya processes on it; `drop()`
 * removes it (ending whatever is still connected).
 */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = inject("postgres");
  if (!server) throw new Error("PostgreSQL tests need TEST_DATABASE_URL");
  const name = `berdaya_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(server.serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${server.templateDatabase}`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrl(server.serverUrl, name),
    drop: async () => {
      const dropper = postgres(server.serverUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

const postgresAvailable = inject("postgres") !== null;

/**
 * Runs `body` once per driver; the PostgreSQL block is reported as skipped when
 * TEST_DATABASE_URL is not set.
 */
export function describeEachDriver(title: string, body: (driver: Driver) => void) {
  describe.each(["pglite", "postgres"] as const)(`${title} [%s]`, (driver) => {
    if (driver === "postgres" && !postgresAvailable) {
      describe.skip("PostgreSQL (TEST_DATABASE_URL not set)", () => body(driver));
      return;
    }
    body(driver);
  });
}

/**
 * Runs `body` once per driver, each with its own fresh database for the whole describe block.
 * `body` receives a getter, since the database opens in beforeAll.
 */
export function describeEachDatabase(title: string, body: (database: () => Database) => void) {
  describeEachDriver(title, (driver) => {
    let database: Database | undefined;
    beforeAll(async () => {
      database = await freshDatabase(driver);
    });
    afterAll(async () => {
      await database?.close();
    });
    body(() => database ?? notOpen());
  });
}

function notOpen(): never {
  throw new Error("database not open yet");
}
