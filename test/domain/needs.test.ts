import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { needReports, needStatusHistory } from "../../src/db/schema/index.js";
import { parseTicket, ticketOf } from "../../src/domain/needs.js";
import { describeEachDatabase } from "../support/database.js";
import { contextFor, now, resident, runAction } from "./fixtures.js";

it("reads a ticket however the resident writes it", () => {
  expect(ticketOf(123)).toBe("LAP-000123");
  expect(ticketOf(1234567)).toBe("LAP-1234567");
  for (const text of [
    "status lap-123",
    "LAP-000123",
    "lap 123",
    "Lap.123 gimana?",
    "cek #LAP000123",
  ]) {
    expect(parseTicket(text)).toBe(123);
  }
  for (const text of ["status", "123", "lapar 123", "lap-0", "kelapa 12"]) {
    expect(parseTicket(text)).toBeUndefined();
  }
});

describeEachDatabase("needs", (database) => {
  it("gives a LAP- ticket and records the first status", async () => {
    const { db } = database();
    const who = await resident(db, "n1-a");
    const { ticket } = await runAction("needs.create", contextFor(db, who), {
      category: "pendidikan_anak",
      description: "Anak saya butuh seragam sekolah",
      photo_media_id: "",
      kecamatan: "64.71.04",
      kelurahan: "",
    });
    expect(ticket).toMatch(/^LAP-\d{6}$/);
    const id = Number(String(ticket).slice(4));
    const [report] = await db
      .select({
        contactId: needReports.contactId,
        status: needReports.status,
        description: needReports.description,
        kecamatan: needReports.kecamatanCode,
        kelurahan: needReports.kelurahanCode,
        photo: needReports.photoMediaId,
      })
      .from(needReports)
      .where(eq(needReports.id, id));
    expect(report).toEqual({
      contactId: who.contactId,
      status: "baru",
      description: "Anak saya butuh seragam sekolah",
      kecamatan: "64.71.04",
      kelurahan: null,
      photo: null,
    });
    const history = await db
      .select({ status: needStatusHistory.status })
      .from(needStatusHistory)
      .where(eq(needStatusHistory.needId, id));
    expect(history).toEqual([{ status: "baru" }]);
  });

  it("shows the status of the resident's own report only", async () => {
    const { db } = database();
    const siti = contextFor(db, await resident(db, "n2-siti"));
    const budi = contextFor(db, await resident(db, "n2-budi"));
    expect(await runAction("needs.status", siti)).toEqual({
      text: "Anda belum pernah mengirim laporan.",
    });
    const { ticket } = await runAction("needs.create", siti, {
      category: "kesehatan",
      description: "Ibu saya perlu kursi roda",
      kecamatan: null,
      kelurahan: null,
    });
    const id = Number(String(ticket).slice(4));
    await db
      .update(needReports)
      .set({ status: "ditinjau", updatedAt: new Date("2026-11-29T01:30:00Z") })
      .where(eq(needReports.id, id));
    await db
      .insert(needStatusHistory)
      .values({ needId: id, status: "ditinjau", message: "Petugas akan menghubungi Anda." });

    expect(await runAction("needs.status", siti, { query: `status lap ${id}` })).toEqual({
      text: [
        `Laporan ${ticket}`,
        "Kategori: Kesehatan",
        "Dikirim: Sabtu, 28 November 2026 pukul 10.00 WITA",
        "Status: Sedang ditinjau",
        "Diperbarui: Minggu, 29 November 2026 pukul 09.30 WITA",
        "Pesan petugas: Petugas akan menghubungi Anda.",
      ].join("\n"),
    });
    const stranger = await runAction("needs.status", budi, { query: String(ticket) });
    expect(stranger.text).toBe(
      [
        `Laporan ${ticket} tidak ditemukan di antara laporan Anda.`,
        "Anda belum pernah mengirim laporan.",
      ].join("\n"),
    );
    expect(stranger.text).not.toContain("Kesehatan");
  });

  it("lists the resident's latest five reports, newest first", async () => {
    const { db } = database();
    const who = await resident(db, "n3-a");
    const tickets: string[] = [];
    for (let day = 0; day < 6; day++) {
      const context = contextFor(db, who, new Date(now.getTime() + day * 86_400_000));
      const { ticket } = await runAction("needs.create", context, {
        category: "pangan",
        description: `Kebutuhan ${day}`,
        kecamatan: null,
        kelurahan: null,
      });
      tickets.push(String(ticket));
    }
    const { text } = await runAction("needs.status", contextFor(db, who), { query: "status" });
    const lines = String(text).split("\n");
    expect(lines[0]).toBe("Laporan Anda:");
    expect(lines.slice(1).map((line) => line.slice(2, 12))).toEqual(tickets.slice(1).reverse());
    expect(lines[1]).toBe(`- ${tickets[5]} — Pangan — Baru diterima (Kamis, 3 Desember 2026)`);
  });
});
