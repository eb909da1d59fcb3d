import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { authenticate } from "../../src/staff/accounts.js";
import { runScript } from "../support/process.js";

describe("npm run admin:create", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "berdaya-admin-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = {
    DATA_DIR: dataDir,
    SEED_DEMO: "false",
    ORGANISATION_NAME: "Dinas Sosial Kota Balikpapan",
  };
  const flags = [
    "--email",
    "Kepala@Dinsos.id",
    "--name",
    "Kepala Bidang",
    "--password",
    "kata-sandi-kuat",
  ];

  it("creates an administrator who can then log in, in a new organisation of ORGANISATION_NAME", async () => {
    const run = runScript("src/cli/admin.ts", env, flags);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain("Akun administrator kepala@dinsos.id dibuat.");
    const database = await openDatabase({ driver: "pglite", dataDir: join(dataDir, "pglite") });
    try {
      const staff = await authenticate(database.db, "kepala@dinsos.id", "kata-sandi-kuat");
      expect(staff).toMatchObject({
        role: "admin",
        organisationName: "Dinas Sosial Kota Balikpapan",
      });
    } finally {
      await database.close();
    }
  }, 60_000);

  it("refuses the same email twice and a short password, one line naming the field", async () => {
    const again = runScript("src/cli/admin.ts", env, flags);
    expect(await again.exited).toBe(1);
    expect(again.stderr()).toBe("email: Email ini sudah dipakai akun lain.\n");
    const short = runScript("src/cli/admin.ts", env, [
      "--email",
      "b@dinsos.id",
      "--name",
      "B",
      "--password",
      "pendek",
    ]);
    expect(await short.exited).toBe(1);
    expect(short.stderr()).toBe("password: Kata sandi minimal 10 karakter.\n");
  }, 60_000);
});
