import { describe, expect, it } from "vitest";
import { nextStatuses, statusNoticeText } from "../../src/domain/need-status.js";

describe("need status", () => {
  it("moves forward along baru → ditinjau → ditindaklanjuti → selesai, or to ditolak", () => {
    expect(nextStatuses("baru")).toEqual(["ditinjau", "ditindaklanjuti", "selesai", "ditolak"]);
    expect(nextStatuses("ditindaklanjuti")).toEqual(["selesai", "ditolak"]);
    expect(nextStatuses("selesai")).toEqual([]);
    expect(nextStatuses("ditolak")).toEqual([]);
  });

  it("tells the resident the ticket, the new status and the staff message", () => {
    expect(
      statusNoticeText({ id: 123, category: "kesehatan" }, "selesai", "Bantuan sudah diantar."),
    ).toBe(`Kabar terbaru untuk laporan Anda LAP-000123 (Kesehatan):
Status: Selesai.
Pesan petugas: Bantuan sudah diantar.
Terima kasih sudah melapor. Ketik STATUS LAP-000123 untuk melihat laporan Anda kapan saja.`);
    expect(statusNoticeText({ id: 7, category: "pangan" }, "ditinjau", null)).not.toContain(
      "Pesan petugas",
    );
  });
});
