import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { prepareTemplate } from "./template.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A tarball of a migrated, seeded PGlite data folder that each test file loads. */
    pgliteTemplatePath: string;
    /** PostgreSQL server URL and the migrated template database, when PostgreSQL tests run. */
    postgres: { serverUrl: string; templateDatabase: string } | null;
  }
}

/**
 * Prepares one migrated database per driver, once per run: test files clone it instead of
 * migrating from nothing (a fresh PGlite takes seconds; a clone well under one).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const folder = mkdtempSync(join(tmpdir(), "berdaya-test-"));
  const pglite = await prepareTemplate({ driver: "pglite", dataDir: undefined });
  if (pglite.driver !== "pglite") throw new Error("expected PGlite");
  const dump = await pglite.client.dumpDataDir("none");
  await pglite.close();
  const pgliteTemplatePath = join(folder, "template.tar");
  writeFileSync(pgliteTemplatePath, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteTemplatePath", pgliteTemplatePath);

  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    if (process.env.CI === "true") {
      throw new Error("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests must run");
    }
    console.warn(
      "\n⚠ TEST_DATABASE_URL is not set: the PostgreSQL half of the database tests is SKIPPED.\n" +
        "  Run with TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to include it.\n",
    );
    project.provide("postgres", null);
    return async () => rmSync(folder, { recursive: true, force: true });
  }

  const templateDatabase = `berdaya_test_template_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${templateDatabase}`);
  await admin.unsafe(`create database ${templateDatabase}`);
  const template = await prepareTemplate({
    driver: "postgres",
    url: databaseUrl(serverUrl, templateDatabase),
  });
  await template.close();
  project.provide("postgres", { serverUrl, templateDatabase });
  return async () => {
    await admin.unsafe(`drop database if exists ${templateDatabase} with (force)`);
    await admin.end();
    rmSync(folder, { recursive: true, force: true });
  };
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
