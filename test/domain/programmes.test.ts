import { beforeAll, expect, it } from "vitest";
import { seedDemo } from "../../src/db/seed.js";
import { listOpenProgrammes, programmesNamedIn } from "../../src/domain/programmes.js";
import { describeEachDatabase } from "../support/database.js";
import { addProgramme, contextFor, now, programmeIdOf, resident, runAction } from "./fixtures.js";

describeEachDatabase("programmes and schedule", (database) => {
  beforeAll(async () => {
    await seedDemo(database().db, now);
  });

  it("offers the open programmes with seats left, soonest first", async () => {
    const { db } = database();
    const context = contextFor(db, await resident(db, "p1-a"));
    const listed = await runAction("programmes.list_open", context);
    expect(listed).toEqual({
      count: 4,
      options: [
        {
          id: String(await programmeIdOf(db, "MJH01")),
          label: "Menjahit Dasar untuk Ibu Rumah Tangga (sisa 16 kursi)",
        },
        {
          id: String(await programmeIdOf(db, "MJH02")),
          label: "Menjahit Inklusif untuk Penyandang Disabilitas (sisa 16 kursi)",
        },
        {
          id: String(await programmeIdOf(db, "RTI01")),
          label: "Tata Boga: Roti & Kue (sisa 16 kursi)",
        },
        { id: String(await programmeIdOf(db, "BRS01")), label: "Barista Pemula (sisa 16 kursi)" },
      ],
      matched_id: null,
    });
    const [first] = await listOpenProgrammes(db);
    expect(first).toMatchObject({
      code: "MJH01",
      organisationName: "Dinas Sosial Kota Balikpapan",
      place: "Aula Kantor Kelurahan Gunung Sari Ilir, Balikpapan Tengah",
      accessibilityNotes: "Ruang pelatihan di lantai dasar.",
      seatsLeft: 16,
      sessionCount: 10,
      firstSessionAt: new Date("2026-11-30T00:00:00Z"),
      lastSessionAt: new Date("2026-12-11T00:00:00Z"),
    });
  });

  it("finds the programme a message names by code or keyword", async () => {
    const { db } = database();
    const context = contextFor(db, await resident(db, "p2-a"));
    const matched = async (query: string) =>
      (await runAction("programmes.list_open", context, { query })).matched_id;
    expect(await matched("daftar menjahit")).toBe(String(await programmeIdOf(db, "MJH01")));
    expect(await matched("daftar MJH02")).toBe(String(await programmeIdOf(db, "MJH02")));
    expect(await matched("mau ikut mjh 02 bu")).toBe(String(await programmeIdOf(db, "MJH02")));
    expect(await matched("daftar menjahit inklusif")).toBe(
      String(await programmeIdOf(db, "MJH02")),
    );
    expect(await matched("daftr barista")).toBe(String(await programmeIdOf(db, "BRS01")));
    expect(await matched("mau bikin kue")).toBe(String(await programmeIdOf(db, "RTI01")));
    expect(await matched("daftar")).toBeNull();
    expect(await matched("pendaftaran")).toBeNull();
    // Two programmes named equally: no single match, the resident chooses from the list.
    const both = [
      { code: "A01", keywords: ["kue"] },
      { code: "B01", keywords: ["kue", "roti"] },
    ];
    expect(programmesNamedIn("kue", both).map((p) => p.code)).toEqual(["A01", "B01"]);
    expect(programmesNamedIn("roti", both).map((p) => p.code)).toEqual(["B01"]);
  });

  it("describes a programme in one phone screen", async () => {
    const { db } = database();
    const context = contextFor(db, await resident(db, "p3-a"));
    const detail = await runAction("programmes.detail", context, {
      programme_id: String(await programmeIdOf(db, "MJH02")),
    });
    expect(detail).toEqual({
      found: true,
      open: true,
      full: false,
      title: "Menjahit Inklusif untuk Penyandang Disabilitas",
      text: [
        "Menjahit Inklusif untuk Penyandang Disabilitas",
        "Penyelenggara: LSM Cahaya Inklusi Balikpapan",
        "Kelas menjahit setiap Sabtu untuk penyandang disabilitas, dengan pendamping. Peserta yang lulus mendapat satu mesin jahit portabel.",
        "Jadwal: 6 pertemuan",
        "Mulai: Sabtu, 5 Desember 2026 pukul 09.00 WITA",
        "Terakhir: Sabtu, 9 Januari 2027 pukul 09.00 WITA",
        "Tempat: Gedung Serbaguna Kelurahan Sepinggan, Balikpapan Selatan",
        "Kuota: sisa 16 kursi",
        "Syarat: Penyandang disabilitas usia 17 tahun ke atas; boleh ditemani keluarga.",
        "Aksesibilitas: Akses kursi roda, toilet ramah disabilitas, juru bahasa isyarat bila diminta.",
      ].join("\n"),
    });
    for (const code of ["MJH01", "MJH02", "RTI01", "BRS01"]) {
      const { text } = await runAction("programmes.detail", context, {
        programme_id: await programmeIdOf(db, code),
      });
      expect(String(text).length).toBeLessThan(600);
    }
  });

  it("says when a programme is full, and that the waitlist is open", async () => {
    const { db } = database();
    const programmeId = await addProgramme(db, {
      code: "FUL01",
      title: "Kelas Penuh",
      capacity: 1,
    });
    await runAction("registrations.create", contextFor(db, await resident(db, "p4-a")), {
      programme_id: programmeId,
    });
    const context = contextFor(db, await resident(db, "p4-b"));
    const detail = await runAction("programmes.detail", context, { programme_id: programmeId });
    expect(detail).toMatchObject({ found: true, full: true, open: true });
    expect(detail.text).toContain("Kuota penuh — Anda bisa masuk daftar tunggu");
    expect(detail.text).toContain("Jadwal: akan diumumkan");
    const { options } = await runAction("programmes.list_open", context);
    expect(options).toContainEqual({ id: String(programmeId), label: "Kelas Penuh (kuota penuh)" });
    expect(await runAction("registrations.create", context, { programme_id: programmeId })).toEqual(
      {
        result: "waitlisted",
        position: 1,
        title: "Kelas Penuh",
        first_session: null,
      },
    );
    expect(await runAction("programmes.detail", context, { programme_id: 424242 })).toMatchObject({
      found: false,
    });
  });

  it("lists the resident's own sessions first, then the other programmes' next sessions", async () => {
    const { db } = database();
    const context = contextFor(db, await resident(db, "p5-a"));
    await runAction("registrations.create", context, {
      programme_id: await programmeIdOf(db, "RTI01"),
    });
    const roti = "Tata Boga: Roti & Kue, Dapur Pelatihan Kelurahan Muara Rapak, Balikpapan Utara";
    expect(await runAction("schedule.upcoming", context)).toEqual({
      own_count: 3,
      items: [
        `Senin, 7 Desember 2026 pukul 08.00 WITA — ${roti}`,
        `Selasa, 8 Desember 2026 pukul 08.00 WITA — ${roti}`,
        `Rabu, 9 Desember 2026 pukul 08.00 WITA — ${roti}`,
        "Senin, 30 November 2026 pukul 08.00 WITA — Menjahit Dasar untuk Ibu Rumah Tangga, Aula Kantor Kelurahan Gunung Sari Ilir, Balikpapan Tengah",
        "Sabtu, 5 Desember 2026 pukul 09.00 WITA — Menjahit Inklusif untuk Penyandang Disabilitas, Gedung Serbaguna Kelurahan Sepinggan, Balikpapan Selatan",
      ],
    });
    // Without a registration: the next session of each open programme.
    const { items } = await runAction(
      "schedule.upcoming",
      contextFor(db, await resident(db, "p5-b")),
    );
    expect(items).toHaveLength(4);
    expect(String((items as string[])[3])).toMatch(
      /^Senin, 14 Desember 2026 pukul 08\.00 WITA — Barista Pemula, /,
    );
    const later = { ...context, now: new Date("2027-06-01T00:00:00Z") };
    expect(await runAction("schedule.upcoming", later)).toEqual({ own_count: 0, items: [] });
  });
});
