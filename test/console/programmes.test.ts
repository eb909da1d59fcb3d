import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  attendance,
  auditLog,
  outboxMessages,
  programmes,
  registrations,
} from "../../src/db/schema/index.js";
import { register } from "../../src/domain/registrations.js";
import { scheduleReminders } from "../../src/domain/reminders.js";
import type { RunningBerdaya } from "../../src/server.js";
import { now, resident } from "../domain/fixtures.js";
import {
  ConsoleClient,
  demoOrganisations,
  type Organisations,
  staffAccount,
  startConsoleServer,
} from "../support/console.js";
import { describeEachDatabase } from "../support/database.js";
import {
  outboxTexts,
  registerThroughSimulator,
  say,
  simulatorContact,
} from "../support/simulator-resident.js";

/** A complete programme form as a staff member fills it in. */
function programmeFields(overrides: Record<string, string | string[]> = {}) {
  return {
    title: "Menjahit Lanjutan",
    code: "mjh03",
    category: "menjahit",
    description: "Membuat pola busana muslim.",
    place: "Aula Kelurahan Gunung Sari Ulu",
    kelurahanCode: "",
    capacity: "16",
    targetGroups: ["ibu_rumah_tangga", "prasejahtera"],
    requirements: "Sudah ikut Menjahit Dasar.",
    accessibilityNotes: "Lantai dasar.",
    keywords: "jahit lanjutan, busana",
    status: "open",
    ...overrides,
  };
}

describeEachDatabase("console: Program & jadwal, Peserta", (database) => {
  let berdaya: RunningBerdaya;
  let orgs: Organisations;
  let siti: ConsoleClient;
  let programmeId: number;
  let sessionId: number;
  const db = () => database().db;

  beforeAll(async () => {
    orgs = await demoOrganisations(database(), now);
    await staffAccount(database(), "siti@dinsos.id", orgs.dinsos);
    await staffAccount(database(), "budi@lsm.id", orgs.lsm);
    await staffAccount(database(), "admin@dinsos.id", orgs.dinsos, "admin");
    berdaya = await startConsoleServer(database(), { clock: () => now });
    siti = new ConsoleClient(berdaya.url);
    await siti.login("siti@dinsos.id");
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  it("creates a programme and a session that a resident finds and registers for in the bot", async () => {
    await siti.get("/console/program/baru");
    const created = await siti.post("/console/program", programmeFields());
    expect(created.status).toBe(303);
    programmeId = Number(/\/console\/program\/(\d+)$/.exec(created.location ?? "")?.[1]);
    const [stored] = await db().select().from(programmes).where(eq(programmes.id, programmeId));
    expect(stored).toMatchObject({ code: "MJH03", organisationId: orgs.dinsos, capacity: 16 });
    expect(stored?.keywords).toEqual(["jahit lanjutan", "busana"]);

    await siti.get(`/console/program/${programmeId}/sesi/baru`);
    const added = await siti.post(`/console/program/${programmeId}/sesi`, {
      date: "2026-12-02",
      start: "09:00",
      end: "12:00",
      place: "",
      whatToBring: "Kain katun 2 meter",
    });
    expect(added.status).toBe(303);
    const page = await siti.get(`/console/program/${programmeId}`);
    expect(page.text).toContain("Sesi Rabu, 2 Desember 2026 pukul 09.00 WITA sudah ditambahkan");
    sessionId = Number(/sesi\/(\d+)\/pindah/.exec(page.text)?.[1]);

    const jadwal = (await say(berdaya.url, "warga-rina", "jadwal")).join("\n");
    expect(jadwal).toContain("Menjahit Lanjutan");
    const replies = await registerThroughSimulator(berdaya.url, {
      from: "warga-rina",
      name: "Rina Wati",
      phone: "0812 3456 7890",
      code: "MJH03",
    });
    expect(replies.join("\n")).toContain(
      "Pendaftaran berhasil! Anda terdaftar di Menjahit Lanjutan",
    );

    const list = await siti.get("/console/program");
    expect(list.text).toContain("MJH03");
    expect(list.text).toContain("1/16");
    expect(list.text).toContain("Rabu, 2 Desember 2026 pukul 09.00 WITA");
  });

  it("gets reminders for the new session from the minute sweep", async () => {
    await scheduleReminders(db(), { now });
    const contactId = await simulatorContact(db(), "warga-rina");
    const reminders = await db()
      .select({ key: outboxMessages.dedupeKey })
      .from(outboxMessages)
      .where(
        and(
          eq(outboxMessages.contactId, contactId),
          like(outboxMessages.dedupeKey, `reminder:${sessionId}:%`),
        ),
      );
    expect(reminders).toHaveLength(2);
    expect((await outboxTexts(db(), contactId)).join("\n")).toContain("Bawa: Kain katun 2 meter.");
  });

  it("shows the resident in Peserta, with the RSVP they gave and attendance that persists", async () => {
    expect((await say(berdaya.url, "warga-rina", "hadir")).join("\n")).toContain("Rabu");
    const peserta = await siti.get(`/console/program/${programmeId}/peserta`);
    expect(peserta.status).toBe(200);
    expect(peserta.text).toContain("Rina Wati");
    expect(peserta.text).toContain("0812-3456-7890");
    expect(peserta.text).toContain("Gunung Sari Ulu");
    expect(peserta.text).toContain("simulator");
    expect(peserta.text).toContain("Terdaftar");

    const sheet = await siti.get(`/console/program/${programmeId}/sesi/${sessionId}/kehadiran`);
    expect(sheet.text).toMatch(/Rina Wati[\s\S]*Hadir/);
    const [registration] = await db()
      .select({ id: registrations.id })
      .from(registrations)
      .where(eq(registrations.programmeId, programmeId));
    const saved = await siti.post(`/console/program/${programmeId}/sesi/${sessionId}/kehadiran`, {
      hadir: [String(registration?.id)],
    });
    expect(saved.status).toBe(303);
    const [mark] = await db().select().from(attendance).where(eq(attendance.sessionId, sessionId));
    expect(mark).toMatchObject({ rsvp: "hadir", attended: true });
    const again = await siti.get(`/console/program/${programmeId}/sesi/${sessionId}/kehadiran`);
    expect(again.text).toContain("Kehadiran disimpan: 1 hadir, 0 tidak hadir.");
    expect(again.text).toContain(`value="${registration?.id}" checked`);
  });

  it("exports participants as CSV that Excel opens, and prints an attendance sheet", async () => {
    const csv = await siti.get(`/console/program/${programmeId}/peserta.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toContain("peserta-MJH03.csv");
    expect(csv.text.startsWith("Nama,Nomor HP,Kelurahan,Saluran,Status")).toBe(true);
    const raw = await fetch(`${berdaya.url}/console/program/${programmeId}/peserta.csv`, {
      headers: { cookie: `berdaya_sesi=${encodeURIComponent(siti.cookie("berdaya_sesi") ?? "")}` },
    });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.text).toContain("RSVP Rabu, 2 Desember 2026 09.00 WITA");
    expect(csv.text).toContain("Rina Wati,0812-3456-7890,Gunung Sari Ulu,simulator,Terdaftar");
    expect(csv.text).toMatch(/Rina Wati.*,Hadir,Ya\r\n/);

    const print = await siti.get(`/console/program/${programmeId}/sesi/${sessionId}/cetak`);
    expect(print.status).toBe(200);
    expect(print.text).toContain("Tanda tangan");
    expect(print.text).toContain("Rina Wati");
    expect(print.text).toContain("Rabu, 2 Desember 2026 pukul 09.00 WITA–12.00 WITA");
  });

  it("moves a session after saying how many will be told, and tells them the new time", async () => {
    const path = `/console/program/${programmeId}/sesi/${sessionId}/pindah`;
    const form = await siti.get(path);
    expect(form.text).toContain('value="2026-12-02"');
    const fields = { date: "2026-12-03", start: "13:00", end: "16:00", place: "", whatToBring: "" };
    const confirm = await siti.post(path, fields);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain("1 peserta akan menerima pemberitahuan");
    const contactId = await simulatorContact(db(), "warga-rina");
    expect((await outboxTexts(db(), contactId)).join("\n")).not.toContain("Perubahan jadwal");

    const moved = await siti.post(path, { ...fields, konfirmasi: "ya" });
    expect(moved.status).toBe(303);
    const texts = (await outboxTexts(db(), contactId)).join("\n");
    expect(texts).toContain(
      "yang semula Rabu, 2 Desember 2026 pukul 09.00 WITA dipindah ke Kamis, 3 Desember 2026 pukul 13.00 WITA",
    );
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.action, "session.move"));
    expect(audit?.details).toMatchObject({ notified: 1 });
  });

  it("cancels a session after saying how many will be told, and tells them", async () => {
    const path = `/console/program/${programmeId}/sesi/${sessionId}/batal`;
    const confirm = await siti.get(path);
    expect(confirm.text).toContain("1 peserta akan menerima pemberitahuan");
    expect((await siti.post(path)).status).toBe(303);
    const texts = await outboxTexts(db(), await simulatorContact(db(), "warga-rina"));
    expect(texts.join("\n")).toContain("pada Kamis, 3 Desember 2026 pukul 13.00 WITA");
    expect(texts.join("\n")).toContain("dibatalkan. Anda tidak perlu datang");
    const page = await siti.get(`/console/program/${programmeId}`);
    expect(page.text).toContain("Dibatalkan");
  });

  it("shows a form with errors again with what was typed, and refuses a code in use", async () => {
    await siti.get("/console/program/baru");
    const page = await siti.post(
      "/console/program",
      programmeFields({ title: "Kelas Tata Rias", code: "MJH01", capacity: "" }),
    );
    expect(page.status).toBe(400);
    expect(page.text).toContain("Kuota minimal 1 kursi.");
    expect(page.text).toContain('value="Kelas Tata Rias"');
    const taken = await siti.post(
      "/console/program",
      programmeFields({ title: "Kelas Tata Rias", code: "MJH01" }),
    );
    expect(taken.status).toBe(400);
    expect(taken.text).toContain("Kode ini sudah dipakai program lain.");
    expect(taken.text).toContain('value="ibu_rumah_tangga" checked');
  });

  it("refuses capacity below the seats taken and offers new seats to the waitlist", async () => {
    const created = await siti.post(
      "/console/program",
      programmeFields({ title: "Kue Kering", code: "KUE01", capacity: "2" }),
    );
    const id = Number(/(\d+)$/.exec(created.location ?? "")?.[1]);
    const waiting: number[] = [];
    for (const name of ["kue-a", "kue-b", "kue-c"]) {
      const { contactId } = await resident(db(), name);
      const result = await register(db(), { contactId, programmeId: id, now });
      if (result.result === "waitlisted") waiting.push(contactId);
    }
    expect(waiting).toHaveLength(1);

    await siti.get(`/console/program/${id}/ubah`);
    const fields = programmeFields({ title: "Kue Kering", code: "KUE01" });
    const refused = await siti.post(`/console/program/${id}`, { ...fields, capacity: "1" });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("Kuota tidak bisa lebih kecil dari kursi yang sudah terisi (2)");
    expect(refused.text).toContain('value="1"');

    const grown = await siti.post(`/console/program/${id}`, { ...fields, capacity: "3" });
    expect(grown.status).toBe(303);
    const page = await siti.get(`/console/program/${id}`);
    expect(page.text).toContain("1 kursi baru ditawarkan ke daftar tunggu");
    const offer = await outboxTexts(db(), waiting[0] ?? 0);
    expect(offer.join("\n")).toContain("Kabar baik! Ada kursi kosong di Kue Kering");
  });

  it("cancels a registration for a resident, who is told", async () => {
    const [registration] = await db()
      .select({ id: registrations.id, contactId: registrations.contactId })
      .from(registrations)
      .where(eq(registrations.programmeId, programmeId));
    await siti.get(`/console/program/${programmeId}/peserta`);
    const done = await siti.post(
      `/console/program/${programmeId}/peserta/${registration?.id}/batal`,
    );
    expect(done.status).toBe(303);
    const texts = await outboxTexts(db(), registration?.contactId ?? 0);
    expect(texts.at(-1)).toContain("Pendaftaran Anda di Menjahit Lanjutan dibatalkan oleh petugas");
    const page = await siti.get(`/console/program/${programmeId}/peserta`);
    expect(page.text).toContain("Dibatalkan");
  });

  it("shows a programme title as text, never as markup", async () => {
    const title = "<img src=x onerror=alert(1)>";
    const created = await siti.post("/console/program", programmeFields({ title, code: "XSS01" }));
    const id = /(\d+)$/.exec(created.location ?? "")?.[1];
    for (const path of ["/console/program", `/console/program/${id}`]) {
      const page = await siti.get(path);
      expect(page.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
      expect(page.text).not.toContain("<img src=x");
    }
  });

  it("answers 404 to staff of another organisation on every page and form", async () => {
    const budi = new ConsoleClient(berdaya.url);
    await budi.login("budi@lsm.id");
    const list = await budi.get("/console/program");
    expect(list.text).not.toContain("MJH03");
    expect(list.text).toContain("MJH02");
    const [rid] = await db()
      .select({ id: registrations.id })
      .from(registrations)
      .where(eq(registrations.programmeId, programmeId));
    const base = `/console/program/${programmeId}`;
    const session = `${base}/sesi/${sessionId}`;
    for (const path of [
      base,
      `${base}/ubah`,
      `${base}/peserta`,
      `${base}/peserta.csv`,
      `${base}/sesi/baru`,
      `${session}/pindah`,
      `${session}/batal`,
      `${session}/kehadiran`,
      `${session}/cetak`,
    ]) {
      expect((await budi.get(path)).status, path).toBe(404);
    }
    const form = { date: "2026-12-10", start: "09:00", end: "10:00", konfirmasi: "ya" };
    for (const [path, fields] of [
      [base, programmeFields({ title: "Diambil alih", code: "MJH03" })],
      [`${base}/sesi`, form],
      [`${session}/pindah`, form],
      [`${session}/batal`, {}],
      [`${session}/kehadiran`, { hadir: String(rid?.id) }],
      [`${base}/peserta/${rid?.id}/batal`, {}],
    ] as const) {
      expect((await budi.post(path, fields)).status, path).toBe(404);
    }
    const [mjh02] = await db().select().from(programmes).where(eq(programmes.code, "MJH02"));
    expect((await budi.get(`/console/program/${mjh02?.id}/sesi/${sessionId}/pindah`)).status).toBe(
      404,
    );
    const [stored] = await db().select().from(programmes).where(eq(programmes.id, programmeId));
    expect(stored?.title).toBe("Menjahit Lanjutan");
  });

  it("shows an administrator every organisation's programmes with the organiser", async () => {
    const admin = new ConsoleClient(berdaya.url);
    await admin.login("admin@dinsos.id");
    const list = await admin.get("/console/program");
    expect(list.text).toContain("Penyelenggara");
    expect(list.text).toContain("LSM Cahaya Inklusi Balikpapan");
    expect(list.text).toContain("MJH03");
    const form = await admin.get("/console/program/baru");
    expect(form.text).toContain('name="organisationId"');
  });
});
