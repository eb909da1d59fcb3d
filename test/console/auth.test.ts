import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, staffSessions } from "../../src/db/schema/index.js";
import type { RunningBerdaya } from "../../src/server.js";
import { createLoginThrottle } from "../../src/staff/login-throttle.js";
import { now } from "../domain/fixtures.js";
import {
  ConsoleClient,
  demoOrganisations,
  password,
  staffAccount,
  startConsoleServer,
} from "../support/console.js";
import { describeEachDatabase } from "../support/database.js";

describeEachDatabase("console login, sessions and CSRF", (database) => {
  let berdaya: RunningBerdaya;
  beforeAll(async () => {
    const { dinsos } = await demoOrganisations(database(), now);
    await staffAccount(database(), "siti@dinsos.id", dinsos, "staff", "Siti <b>Aminah</b>");
    await staffAccount(database(), "ganti@dinsos.id", dinsos);
    berdaya = await startConsoleServer(database());
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  it("sends a visitor without a session to the login page, remembering where they were going", async () => {
    const page = await new ConsoleClient(berdaya.url).get("/console/program");
    expect(page.status).toBe(303);
    expect(page.location).toBe("/console/masuk?lanjut=%2Fconsole%2Fprogram");
  });

  it("logs in with the right password and shows the staff member's name as text", async () => {
    const client = new ConsoleClient(berdaya.url);
    await client.login("Siti@Dinsos.id ");
    const page = await client.get("/console");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Siti &lt;b&gt;Aminah&lt;/b&gt;");
    expect(page.text).not.toContain("<b>Aminah</b>");
  });

  it("refuses a wrong password with a message and no session", async () => {
    const client = new ConsoleClient(berdaya.url);
    await client.get("/console/masuk");
    const page = await client.post("/console/masuk", {
      email: "siti@dinsos.id",
      password: "salah-sekali",
    });
    expect(page.status).toBe(401);
    expect(page.text).toContain("Email atau kata sandi salah.");
    expect(client.cookie("berdaya_sesi")).toBeUndefined();
  });

  it("slows down repeated wrong passwords with a 429 and Retry-After", async () => {
    const client = new ConsoleClient(berdaya.url);
    await client.get("/console/masuk");
    const attempt = () =>
      client.post("/console/masuk", { email: "tebak@dinsos.id", password: "tebakan-salah" });
    for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(401);
    const slowed = await attempt();
    expect(slowed.status).toBe(429);
    expect(slowed.headers.get("retry-after")).toBe("1");
    expect(slowed.text).toContain("Terlalu banyak percobaan masuk");
  });

  it("gives the session cookie HttpOnly and SameSite", async () => {
    const client = new ConsoleClient(berdaya.url);
    await client.get("/console/masuk");
    const page = await client.post("/console/masuk", { email: "siti@dinsos.id", password });
    const setCookie = page.headers.getSetCookie().find((c) => c.startsWith("berdaya_sesi="));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
  });

  it("refuses a form posted without the CSRF token, changing nothing", async () => {
    const client = new ConsoleClient(berdaya.url);
    await client.login("siti@dinsos.id");
    const page = await client.post("/console/token-api", { name: "tanpa token" }, { csrf: false });
    expect(page.status).toBe(403);
    expect(page.text).toContain("Formulir tidak sah");
    expect((await client.get("/console/token-api")).text).not.toContain("tanpa token");
  });

  it("refuses a login form posted without the CSRF token", async () => {
    const client = new ConsoleClient(berdaya.url);
    const page = await client.post(
      "/console/masuk",
      { email: "siti@dinsos.id", password },
      { csrf: false },
    );
    expect(page.status).toBe(403);
  });

  it("never adopts a session token planted before login", async () => {
    const client = new ConsoleClient(berdaya.url);
    client.setCookie("berdaya_sesi", "ditanam-penyerang");
    await client.login("siti@dinsos.id");
    expect(client.cookie("berdaya_sesi")).not.toBe("ditanam-penyerang");
    const attacker = new ConsoleClient(berdaya.url);
    attacker.setCookie("berdaya_sesi", "ditanam-penyerang");
    expect((await attacker.get("/console")).status).toBe(303);
  });

  it("logs out: the old cookie no longer opens the console", async () => {
    const client = new ConsoleClient(berdaya.url);
    await client.login("siti@dinsos.id");
    const token = client.cookie("berdaya_sesi") ?? "";
    await client.get("/console");
    expect((await client.post("/console/keluar")).location).toBe("/console/masuk");
    const replay = new ConsoleClient(berdaya.url);
    replay.setCookie("berdaya_sesi", token);
    expect((await replay.get("/console")).status).toBe(303);
  });

  it("changes the password, ends other sessions and writes the audit log", async () => {
    const elsewhere = new ConsoleClient(berdaya.url);
    await elsewhere.login("ganti@dinsos.id");
    const client = new ConsoleClient(berdaya.url);
    await client.login("ganti@dinsos.id");
    await client.get("/console/akun");
    const short = await client.post("/console/akun/kata-sandi", {
      current: password,
      next: "pendek",
      repeat: "pendek",
    });
    expect(short.status).toBe(400);
    expect(short.text).toContain("minimal 10 karakter");
    const changed = await client.post("/console/akun/kata-sandi", {
      current: password,
      next: "sandi-baru-yang-panjang",
      repeat: "sandi-baru-yang-panjang",
    });
    expect(changed.status).toBe(303);
    expect((await client.get("/console/akun")).text).toContain("Kata sandi sudah diganti");
    expect((await elsewhere.get("/console")).status).toBe(303);
    await new ConsoleClient(berdaya.url).login("ganti@dinsos.id", "sandi-baru-yang-panjang");
    const audit = await database()
      .db.select()
      .from(auditLog)
      .where(eq(auditLog.action, "staff.password_change"));
    expect(audit).toHaveLength(1);
  });

  it("keeps only a hash of the session token in the database", async () => {
    const client = new ConsoleClient(berdaya.url);
    await client.login("siti@dinsos.id");
    const token = client.cookie("berdaya_sesi") ?? "";
    const stored = await database()
      .db.select({ hash: staffSessions.tokenHash })
      .from(staffSessions);
    expect(stored.map((row) => row.hash)).not.toContain(token);
  });

  it("answers unknown console pages with an Indonesian 404 page", async () => {
    const client = new ConsoleClient(berdaya.url);
    await client.login("siti@dinsos.id");
    const page = await client.get("/console/tidak-ada");
    expect(page.status).toBe(404);
    expect(page.text).toContain("Halaman ini tidak ada.");
  });
});

describe("login throttle", () => {
  it("lets five failures for an email pass, then makes each further try wait twice as long", () => {
    let time = 0;
    const throttle = createLoginThrottle(() => new Date(time));
    const attempt = { email: "siti@dinsos.id", address: "10.0.0.1" };
    for (let i = 0; i < 5; i++) {
      expect(throttle.retryAfterMs(attempt)).toBe(0);
      throttle.failed(attempt);
    }
    expect(throttle.retryAfterMs(attempt)).toBe(1_000);
    expect(throttle.retryAfterMs({ ...attempt, email: "budi@dinsos.id" })).toBe(0);
    time += 1_000;
    throttle.failed(attempt);
    expect(throttle.retryAfterMs(attempt)).toBe(2_000);
    throttle.succeeded(attempt);
    expect(throttle.retryAfterMs(attempt)).toBe(0);
  });

  it("slows an address after twenty failures whatever the emails", () => {
    const throttle = createLoginThrottle(() => new Date(0));
    for (let i = 0; i < 20; i++)
      throttle.failed({ email: `orang${i}@dinsos.id`, address: "10.0.0.2" });
    expect(throttle.retryAfterMs({ email: "baru@dinsos.id", address: "10.0.0.2" })).toBe(1_000);
  });

  it("forgets failures after 15 quiet minutes", () => {
    let time = 0;
    const throttle = createLoginThrottle(() => new Date(time));
    const attempt = { email: "siti@dinsos.id", address: "10.0.0.3" };
    for (let i = 0; i < 8; i++) throttle.failed(attempt);
    time += 16 * 60_000;
    expect(throttle.retryAfterMs(attempt)).toBe(0);
  });
});
