import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditLog, contacts, inboundMessages } from "../../src/db/schema/index.js";
import type { RunningBerdaya } from "../../src/server.js";
import { now } from "../domain/fixtures.js";
import {
  ConsoleClient,
  demoOrganisations,
  logInAll,
  type Organisations,
  staffAccount,
  startConsoleServer,
} from "../support/console.js";
import { describeEachDatabase } from "../support/database.js";
import { needFor, registerIn, residentWithProfile } from "../support/residents.js";

const attack = "<img src=x onerror=alert(1)>";

describeEachDatabase("console: Warga and Dasbor", (database) => {
  let berdaya: RunningBerdaya;
  let orgs: Organisations;
  let registered: number;
  let reporter: number;
  let stranger: number;
  const dinsos = new ConsoleClient("");
  const lsm = new ConsoleClient("");
  const admin = new ConsoleClient("");

  beforeAll(async () => {
    const db = database().db;
    orgs = await demoOrganisations(database(), now);
    await staffAccount(database(), "siti@dinsos.id", orgs.dinsos);
    await staffAccount(database(), "rina@lsm.id", orgs.lsm);
    await staffAccount(database(), "admin@dinsos.id", orgs.dinsos, "admin");
    const a = await residentWithProfile(
      db,
      "warga-a",
      {
        name: attack,
        phone: "+6281234567890",
        consentText: "Apakah Anda <b>setuju</b> data Anda dicatat?",
      },
      now,
    );
    registered = a.contactId;
    await registerIn(db, registered, "MJH01", now);
    await db
      .update(inboundMessages)
      .set({ text: "<script>alert('pesan')</script>" })
      .where(eq(inboundMessages.id, a.inboundId));
    reporter = (await residentWithProfile(db, "warga-b", { name: "Bu Rahma" }, now)).contactId;
    await needFor(db, { contactId: reporter, organisationId: orgs.lsm, now });
    stranger = (await residentWithProfile(db, "warga-c", { name: "Pak Udin" }, now)).contactId;
    berdaya = await startConsoleServer(database(), { clock: () => now });
    await logInAll(berdaya.url, [
      [dinsos, "siti@dinsos.id"],
      [lsm, "rina@lsm.id"],
      [admin, "admin@dinsos.id"],
    ]);
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  it("lists only the residents connected to the staff member's organisation", async () => {
    const forDinsos = (await dinsos.get("/console/warga")).text;
    expect(forDinsos).toContain(`/console/warga/${registered}"`);
    expect(forDinsos).not.toContain(`/console/warga/${reporter}"`);
    expect(forDinsos).not.toContain("Pak Udin");
    const forLsm = (await lsm.get("/console/warga")).text;
    expect(forLsm).toContain("Bu Rahma");
    expect(forLsm).not.toContain(`/console/warga/${registered}"`);
    const forAdmin = (await admin.get("/console/warga")).text;
    expect(forAdmin).toContain("Pak Udin");
    expect((await lsm.get(`/console/warga/${registered}`)).status).toBe(404);
    expect((await dinsos.get(`/console/warga/${stranger}`)).status).toBe(404);
  });

  it("finds a resident by phone written 0812…, 62812… or +62 812…, and by name", async () => {
    for (const q of ["0812-3456-7890", "6281234567890", "+62 812 3456 7890", "081234567890"]) {
      const page = await dinsos.get(`/console/warga?q=${encodeURIComponent(q)}`);
      expect(page.text, q).toContain(`/console/warga/${registered}"`);
      expect(page.text).toContain("0812-3456-7890");
      expect((await lsm.get(`/console/warga?q=${encodeURIComponent(q)}`)).text).not.toContain(
        `/console/warga/${registered}"`,
      );
    }
    expect((await lsm.get("/console/warga?q=rahma")).text).toContain("Bu Rahma");
    expect((await lsm.get("/console/warga?q=0899")).text).not.toContain("Bu Rahma");
  });

  it("shows the profile as text: name, consent text and messages escaped", async () => {
    const page = await dinsos.get(`/console/warga/${registered}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(attack);
    expect(page.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(page.text).toContain("Apakah Anda &lt;b&gt;setuju&lt;/b&gt; data Anda dicatat?");
    expect(page.text).toContain("&lt;script&gt;alert(&#39;pesan&#39;)&lt;/script&gt;");
    expect(page.text).not.toContain("<script>alert");
    expect(page.text).toContain("MJH01");
    expect(page.text).toContain("Margo Mulyo");
  });

  it("counts on the dashboard only what the organisation may see", async () => {
    const figure = (text: string, label: string) =>
      new RegExp(`<strong>(\\d+)</strong><a href="[^"]+">${label}</a>`).exec(text)?.[1];
    const forDinsos = (await dinsos.get("/console")).text;
    expect(figure(forDinsos, "Warga")).toBe("1");
    expect(figure(forDinsos, "Pendaftaran aktif")).toBe("1");
    expect(figure(forDinsos, "Laporan belum selesai")).toBe("0");
    const forLsm = (await lsm.get("/console")).text;
    expect(figure(forLsm, "Warga")).toBe("1");
    expect(figure(forLsm, "Pendaftaran aktif")).toBe("0");
    expect(figure(forLsm, "Laporan belum selesai")).toBe("1");
    expect(forLsm).toContain("Kesehatan");
    expect(forLsm).toContain("Balikpapan Barat");
    const forAdmin = (await admin.get("/console")).text;
    expect(figure(forAdmin, "Warga")).toBe("3");
    expect(forAdmin).toContain("MJH01 · ");
    expect(forAdmin).toContain("Simulator: Tersambung");
  });

  it("does not let another organisation erase a resident", async () => {
    await lsm.get("/console/warga");
    expect((await lsm.post(`/console/warga/${registered}/hapus`)).status).toBe(404);
    const [contact] = await database()
      .db.select({ name: contacts.name })
      .from(contacts)
      .where(eq(contacts.id, registered));
    expect(contact?.name).toBe(attack);
  });

  it("erases a resident on request after a confirmation page, like HAPUS DATA", async () => {
    const confirm = await dinsos.get(`/console/warga/${registered}/hapus`);
    expect(confirm.text).toContain("Ya, hapus data warga ini");
    const erased = await dinsos.post(`/console/warga/${registered}/hapus`);
    expect(erased.status).toBe(303);
    expect((await dinsos.get(erased.location ?? "")).text).toContain("Data warga sudah dihapus.");
    expect((await dinsos.get("/console/warga")).text).not.toContain(
      `/console/warga/${registered}"`,
    );
    expect((await admin.get("/console/warga")).text).not.toContain(`/console/warga/${registered}"`);
    expect((await dinsos.get(`/console/warga/${registered}`)).status).toBe(404);
    const [contact] = await database()
      .db.select()
      .from(contacts)
      .where(eq(contacts.id, registered));
    expect(contact).toMatchObject({ name: null, phone: null, kelurahanCode: null });
    expect(contact?.erasedAt).not.toBeNull();
    const [audit] = await database()
      .db.select()
      .from(auditLog)
      .where(eq(auditLog.action, "contact.erase"));
    expect(audit).toMatchObject({ subjectId: String(registered), organisationId: orgs.dinsos });
    expect(audit?.staffUserId).not.toBeNull();
    expect(JSON.stringify(audit?.details)).not.toContain("0812");
  });
});
