import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  auditLog,
  needReports,
  needStatusHistory,
  outboxMessages,
} from "../../src/db/schema/index.js";
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
import { needFor, residentWithProfile } from "../support/residents.js";
import { say as residentSays } from "../support/simulator-resident.js";

describeEachDatabase("console: Laporan kebutuhan", (database) => {
  let berdaya: RunningBerdaya;
  let orgs: Organisations;
  let reported: { id: number; ticket: string; contactId: number };
  let lsmNeed: { id: number; ticket: string; photoId: number | null };
  let rinaId: number;
  let notAnImage: { id: number; photoId: number | null };
  const admin = new ConsoleClient("");
  const dinsos = new ConsoleClient("");
  const lsm = new ConsoleClient("");

  const say = async (from: string, text: string) =>
    (await residentSays(berdaya.url, from, text)).join("\n");

  beforeAll(async () => {
    const db = database().db;
    orgs = await demoOrganisations(database(), now);
    await staffAccount(database(), "admin@dinsos.id", orgs.dinsos, "admin", "Admin Kota");
    await staffAccount(database(), "siti@dinsos.id", orgs.dinsos, "staff", "Siti");
    rinaId = (await staffAccount(database(), "rina@lsm.id", orgs.lsm, "staff", "Rina")).id;
    berdaya = await startConsoleServer(database());
    await logInAll(berdaya.url, [
      [admin, "admin@dinsos.id"],
      [dinsos, "siti@dinsos.id"],
      [lsm, "rina@lsm.id"],
    ]);
    // A resident reports a health need through the simulator (the LAPOR flow).
    for (const text of [
      "lapor",
      "2",
      "setuju",
      "Anak saya <b>demam</b>\nsudah 3 hari",
      "lewati",
      "2",
      "5",
      "ya",
    ]) {
      await say("warga-lapor", text);
    }
    const [need] = await db.select().from(needReports).orderBy(desc(needReports.id)).limit(1);
    if (!need?.contactId) throw new Error("the LAPOR flow did not store a need");
    reported = {
      id: need.id,
      ticket: `LAP-${String(need.id).padStart(6, "0")}`,
      contactId: need.contactId,
    };

    const other = await residentWithProfile(db, "warga-lsm", { name: "Bu Rahma" }, now);
    lsmNeed = await needFor(db, {
      contactId: other.contactId,
      organisationId: orgs.lsm,
      now,
      category: "alat_bantu",
      photoType: "image/png",
    });
    notAnImage = await needFor(db, {
      contactId: other.contactId,
      organisationId: orgs.dinsos,
      now,
      category: "pangan",
      photoType: "text/html",
    });
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  it("shows an unassigned need to administrators only, and they route it", async () => {
    expect((await admin.get("/console/laporan")).text).toContain(reported.ticket);
    expect((await dinsos.get("/console/laporan")).text).not.toContain(reported.ticket);
    expect((await dinsos.get(`/console/laporan/${reported.id}`)).status).toBe(404);

    await admin.get(`/console/laporan/${reported.id}`);
    const routed = await admin.post(`/console/laporan/${reported.id}/tugaskan`, {
      organisationId: String(orgs.dinsos),
      staffUserId: "",
    });
    expect(routed.status).toBe(303);
    const [audit] = await database()
      .db.select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "need.assign"), eq(auditLog.subjectId, String(reported.id))));
    expect(audit?.details).toMatchObject({ organisation: { from: null, to: orgs.dinsos } });
  });

  it("shows the need to the organisation it is routed to and not to another", async () => {
    const list = await dinsos.get("/console/laporan");
    expect(list.text).toContain(reported.ticket);
    expect(list.text).not.toContain(lsmNeed.ticket);
    expect((await lsm.get("/console/laporan")).text).not.toContain(reported.ticket);
    expect((await lsm.get(`/console/laporan/${reported.id}`)).status).toBe(404);
    const changed = await lsm.post(`/console/laporan/${reported.id}/status`, {
      status: "ditolak",
    });
    expect(changed.status).toBe(404);
    const [need] = await database()
      .db.select({ status: needReports.status })
      .from(needReports)
      .where(eq(needReports.id, reported.id));
    expect(need?.status).toBe("baru");
  });

  it("shows the resident's words escaped, with their line breaks, and the area", async () => {
    const page = await dinsos.get(`/console/laporan/${reported.id}`);
    expect(page.text).toContain("Anak saya &lt;b&gt;demam&lt;/b&gt;\nsudah 3 hari");
    expect(page.text).not.toContain("<b>demam</b>");
    expect(page.text).toContain("Margo Mulyo, Balikpapan Barat");
  });

  it("lets staff assign a colleague of their own organisation only", async () => {
    const page = await dinsos.get(`/console/laporan/${reported.id}`);
    const siti = /<option value="(\d+)">Siti<\/option>/.exec(page.text)?.[1];
    expect(siti).toBeDefined();
    expect(page.text).not.toContain(">Rina</option>");
    const colleagueElsewhere = await dinsos.post(`/console/laporan/${reported.id}/tugaskan`, {
      staffUserId: String(rinaId),
    });
    expect(colleagueElsewhere.status).toBe(400);
    expect(colleagueElsewhere.text).toContain("Pilih petugas dari organisasi yang menangani");
    expect(
      (await dinsos.post(`/console/laporan/${reported.id}/tugaskan`, { staffUserId: siti ?? "" }))
        .status,
    ).toBe(303);
    expect((await dinsos.get("/console/laporan")).text).toContain(
      "Dinas Sosial Kota Balikpapan · Siti",
    );
  });

  it("changes the status with a message the resident receives, and STATUS shows it", async () => {
    await dinsos.get(`/console/laporan/${reported.id}`);
    const page = await dinsos.post(`/console/laporan/${reported.id}/status`, {
      status: "ditinjau",
      message: "Petugas kami akan datang hari Senin.",
    });
    expect(page.status).toBe(303);
    expect((await dinsos.get(page.location ?? "")).text).toContain("Warga sudah dikabari");

    const [notice] = await database()
      .db.select({ payload: outboxMessages.payload })
      .from(outboxMessages)
      .where(eq(outboxMessages.contactId, reported.contactId))
      .orderBy(desc(outboxMessages.id))
      .limit(1);
    expect(notice?.payload.text).toContain(reported.ticket);
    expect(notice?.payload.text).toContain("Sedang ditinjau");
    expect(notice?.payload.text).toContain("Petugas kami akan datang hari Senin.");

    const history = await database()
      .db.select()
      .from(needStatusHistory)
      .where(eq(needStatusHistory.needId, reported.id));
    expect(history.map((row) => row.status)).toEqual(["baru", "ditinjau"]);
    const audit = await database()
      .db.select()
      .from(auditLog)
      .where(eq(auditLog.action, "need.status"));
    expect(audit[0]?.details).toMatchObject({ from: "baru", to: "ditinjau", notified: true });
    expect(JSON.stringify(audit[0]?.details)).not.toContain("Petugas kami");

    const status = await say("warga-lapor", `status ${reported.ticket}`);
    expect(status).toContain("Status: Sedang ditinjau");
    expect(status).toContain("Pesan petugas: Petugas kami akan datang hari Senin.");
  });

  it("shows a refused status change again with what was typed", async () => {
    await dinsos.get(`/console/laporan/${reported.id}`);
    const backwards = await dinsos.post(`/console/laporan/${reported.id}/status`, {
      status: "baru",
      message: "Pesan yang <i>tidak</i> boleh hilang",
    });
    expect(backwards.status).toBe(400);
    expect(backwards.text).toContain("tidak bisa dipilih dari status sekarang");
    expect(backwards.text).toContain("Pesan yang &lt;i&gt;tidak&lt;/i&gt; boleh hilang");
    const tooLong = await dinsos.post(`/console/laporan/${reported.id}/status`, {
      status: "selesai",
      message: "x".repeat(1001),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain("Pesan paling panjang 1000 karakter.");
  });

  it("filters by status, category, area and date", async () => {
    const tickets = async (query: string) => (await admin.get(`/console/laporan?${query}`)).text;
    expect(await tickets("status=ditinjau")).toContain(reported.ticket);
    expect(await tickets("status=baru")).not.toContain(reported.ticket);
    expect(await tickets("kategori=alat_bantu")).toContain(lsmNeed.ticket);
    expect(await tickets("kategori=alat_bantu")).not.toContain(reported.ticket);
    expect(await tickets("kecamatan=64.71.01")).not.toContain(lsmNeed.ticket);
    expect(await tickets("kelurahan=64.71.02.1005")).toContain(lsmNeed.ticket);
    expect(await tickets("dari=2026-11-28&sampai=2026-11-28")).toContain(lsmNeed.ticket);
    expect(await tickets("dari=2026-11-29&sampai=2026-11-29")).not.toContain(lsmNeed.ticket);
    const wrong = await admin.get("/console/laporan?dari=2026-02-30");
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("Pilih tanggal yang benar");
  });

  it("exports the filtered list as CSV for Excel, without names or phone numbers", async () => {
    const csv = await dinsos.get("/console/laporan.csv?status=ditinjau");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toMatch(
      /^attachment; filename="?laporan-\d{4}-\d{2}-\d{2}\.csv/,
    );
    // fetch drops the byte-order mark when it decodes; test/console/csv.test.ts checks it.
    const lines = csv.text.trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^\uFEFF?Tiket,Dikirim \(WITA\),Kategori,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(reported.ticket);
    expect(lines[1]).toContain("Sedang ditinjau");
    expect(csv.text).not.toContain("demam");
    expect((await lsm.get("/console/laporan.csv")).text).not.toContain(reported.ticket);
  });

  it("serves a photo only to the organisation of its need, and only images", async () => {
    const own = await lsm.get(`/console/media/${lsmNeed.photoId}`);
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toBe("image/png");
    expect(own.headers.get("content-disposition")).toBe("inline");
    expect(own.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await lsm.get(`/console/laporan/${lsmNeed.id}`)).text).toContain(
      `<img src="/console/media/${lsmNeed.photoId}"`,
    );
    expect((await dinsos.get(`/console/media/${lsmNeed.photoId}`)).status).toBe(404);
    expect((await dinsos.get(`/console/media/${notAnImage.photoId}`)).status).toBe(404);
    expect((await dinsos.get("/console/media/..%2F..%2Fetc%2Fpasswd")).status).toBe(404);
  });
});
