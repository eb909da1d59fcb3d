import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { RunningBerdaya } from "../../src/server.js";
import { hasChromium, launchBrowser, screenshot } from "../support/browser.js";
import {
  demoOrganisations,
  password,
  staffAccount,
  startConsoleServer,
} from "../support/console.js";
import { freshDatabase } from "../support/database.js";

const requireChromium = process.env.CI === "true";
if (!hasChromium && !requireChromium) {
  console.warn(
    "\n⚠ Chromium is not installed (apt-get install chromium): browser tests are SKIPPED.\n",
  );
}

/**
 * The console as a staff member uses it: a real Chromium (playwright-core) against the real
 * server on the embedded database, with residents chatting in the simulator page.
 */
describe.skipIf(!hasChromium && !requireChromium)("staff console in a browser", () => {
  let database: Database;
  let berdaya: RunningBerdaya;
  let browser: Browser;
  let staff: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    database = await freshDatabase("pglite");
    const { dinsos } = await demoOrganisations(database, new Date());
    await staffAccount(database, "admin@dinsos.id", dinsos, "admin", "Admin Dinsos");
    berdaya = await startConsoleServer(database);
    browser = await launchBrowser();
    staff = await browser.newContext({ baseURL: berdaya.url, locale: "id-ID" });
    page = await staff.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await berdaya?.stop();
    await database?.close();
  });

  async function logIn(email: string, secret: string): Promise<void> {
    await page.goto("/console/masuk");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Kata sandi").fill(secret);
    await page.getByRole("button", { name: "Masuk" }).click();
  }

  it("refuses a wrong password", async () => {
    await logIn("admin@dinsos.id", "bukan-kata-sandinya");
    expect(await page.getByRole("alert").textContent()).toBe("Email atau kata sandi salah.");
    await screenshot(page, "01-masuk-gagal");
  });

  it("logs in and shows the dashboard", async () => {
    await logIn("admin@dinsos.id", password);
    await page.waitForURL("**/console");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Dasbor");
    await screenshot(page, "02-dasbor");
  });

  it("refuses a form posted without the CSRF token", async () => {
    const response = await staff.request.post("/console/token-api", {
      form: { name: "tanpa csrf" },
    });
    expect(response.status()).toBe(403);
    await page.goto("/console/token-api");
    expect(await page.content()).not.toContain("tanpa csrf");
    await screenshot(page, "03-token-api");
  });
});
