import { count } from "drizzle-orm";
import { wilayah } from "../engine/areas.js";
import type { Db } from "./client.js";
import { areas, organisations, programmeSessions, programmes } from "./schema/index.js";

/** Inserts the areas that are missing; safe to run on every start. */
export async function seedAreas(db: Db): Promise<void> {
  const rows = wilayah.kecamatan.flatMap((kecamatan) => [
    { code: kecamatan.code, kind: "kecamatan" as const, name: kecamatan.name, aliases: [] },
    ...kecamatan.kelurahan.map((kelurahan) => ({
      code: kelurahan.code,
      kind: "kelurahan" as const,
      name: kelurahan.name,
      parentCode: kecamatan.code,
      aliases: kelurahan.aliases,
    })),
  ]);
  await db.insert(areas).values(rows).onConflictDoNothing();
}

const dayMs = 86_400_000;

/** An instant at a WITA (UTC+8) wall-clock time, `days` after the WITA date of `from`. */
function witaAt(from: Date, days: number, hour: number, minute = 0): Date {
  const witaMidnight = Math.floor((from.getTime() + 8 * 3_600_000) / dayMs) * dayMs;
  return new Date(witaMidnight + days * dayMs + (hour - 8) * 3_600_000 + minute * 60_000);
}

/** Days from `from` (WITA) to the next given weekday (0 = Minggu … 6 = Sabtu), at least 1. */
function daysUntilWeekday(from: Date, weekday: number): number {
  const today = new Date(from.getTime() + 8 * 3_600_000).getUTCDay();
  return ((weekday - today + 7) % 7) + (weekday === today ? 7 : 0);
}

interface DemoProgramme {
  organisation: "dinsos" | "lsm";
  values: Omit<typeof programmes.$inferInsert, "organisationId">;
  /** [days from now, start hour, start minute, end hour, end minute] in WITA. */
  sessions: [number, number, number, number, number][];
}

function demoProgrammes(now: Date): DemoProgramme[] {
  const monday = daysUntilWeekday(now, 1);
  const saturday = daysUntilWeekday(now, 6);
  const weekdays = (firstDay: number, weeks: number): [number, number, number, number, number][] =>
    Array.from({ length: weeks }, (_, week) =>
      [0, 1, 2, 3, 4].map((d): [number, number, number, number, number] =>
        d === 4 ? [firstDay + week * 7 + d, 8, 0, 11, 30] : [firstDay + week * 7 + d, 8, 0, 16, 0],
      ),
    ).flat();
  return [
    {
      organisation: "dinsos",
      values: {
        code: "MJH01",
        title: "Menjahit Dasar untuk Ibu Rumah Tangga",
        category: "menjahit",
        keywords: ["menjahit", "jahit", "tata busana"],
        description:
          "Belajar menjahit dari nol: mengenal mesin jahit, mengukur, membuat pola dan menjahit pakaian sederhana. Gratis, makan siang dan seragam disediakan, uji kompetensi BNSP di akhir pelatihan.",
        place: "Aula Kantor Kelurahan Gunung Sari Ilir, Balikpapan Tengah",
        kelurahanCode: "64.71.04.1002",
        capacity: 16,
        targetGroups: ["ibu_rumah_tangga", "perempuan_kepala_keluarga", "prasejahtera"],
        requirements: "Warga Kota Balikpapan, usia 18–55 tahun.",
        accessibilityNotes: "Ruang pelatihan di lantai dasar.",
        status: "open",
      },
      sessions: weekdays(monday, 2),
    },
    {
      organisation: "lsm",
      values: {
        code: "MJH02",
        title: "Menjahit Inklusif untuk Penyandang Disabilitas",
        category: "menjahit",
        keywords: ["menjahit inklusif", "jahit disabilitas"],
        description:
          "Kelas menjahit setiap Sabtu untuk penyandang disabilitas, dengan pendamping. Peserta yang lulus mendapat satu mesin jahit portabel.",
        place: "Gedung Serbaguna Kelurahan Sepinggan, Balikpapan Selatan",
        kelurahanCode: "64.71.05.1002",
        capacity: 16,
        targetGroups: ["disabilitas"],
        requirements: "Penyandang disabilitas usia 17 tahun ke atas; boleh ditemani keluarga.",
        accessibilityNotes:
          "Akses kursi roda, toilet ramah disabilitas, juru bahasa isyarat bila diminta.",
        status: "open",
      },
      sessions: [0, 1, 2, 3, 4, 5].map((week) => [saturday + week * 7, 9, 0, 12, 0]),
    },
    {
      organisation: "dinsos",
      values: {
        code: "RTI01",
        title: "Tata Boga: Roti & Kue",
        category: "tata_boga",
        keywords: ["roti", "kue", "tata boga", "masak"],
        description:
          "Membuat roti dan kue untuk usaha rumahan: adonan dasar, kue basah, pengemasan dan menghitung harga jual.",
        place: "Dapur Pelatihan Kelurahan Muara Rapak, Balikpapan Utara",
        kelurahanCode: "64.71.03.1004",
        capacity: 16,
        targetGroups: ["ibu_rumah_tangga", "pencari_kerja", "prasejahtera"],
        requirements: "Warga Kota Balikpapan, usia 18 tahun ke atas.",
        accessibilityNotes: "",
        status: "open",
      },
      sessions: weekdays(monday + 7, 1),
    },
    {
      organisation: "dinsos",
      values: {
        code: "BRS01",
        title: "Barista Pemula",
        category: "barista",
        keywords: ["barista", "kopi"],
        description:
          "Dasar-dasar meracik kopi, mengoperasikan mesin espresso dan melayani pelanggan, untuk bekal kerja di kafe.",
        place: "Ruang Pelatihan Kelurahan Klandasan Ilir, Balikpapan Kota",
        kelurahanCode: "64.71.06.1004",
        capacity: 16,
        targetGroups: ["putus_sekolah", "pencari_kerja"],
        requirements: "Usia 17–30 tahun.",
        accessibilityNotes: "",
        status: "open",
      },
      sessions: weekdays(monday + 14, 1),
    },
  ];
}

/** Demo organisations and programmes for trying Berdaya; only on a database without any. */
export async function seedDemo(db: Db, now: Date): Promise<boolean> {
  const [existing] = await db.select({ n: count() }).from(organisations);
  if ((existing?.n ?? 0) > 0) return false;
  await db.transaction(async (tx) => {
    const [dinsos, lsm] = await tx
      .insert(organisations)
      .values([
        { slug: "dinsos-balikpapan", name: "Dinas Sosial Kota Balikpapan", kind: "pemerintah" },
        { slug: "lsm-cahaya-inklusi", name: "LSM Cahaya Inklusi Balikpapan", kind: "lsm" },
      ])
      .returning({ id: organisations.id });
    if (!dinsos || !lsm) throw new Error("demo organisations were not inserted");
    for (const demo of demoProgrammes(now)) {
      const organisationId = demo.organisation === "dinsos" ? dinsos.id : lsm.id;
      const [programme] = await tx
        .insert(programmes)
        .values({ ...demo.values, organisationId })
        .returning({ id: programmes.id });
      if (!programme) throw new Error(`demo programme ${demo.values.code} was not inserted`);
      await tx.insert(programmeSessions).values(
        demo.sessions.map(([days, startHour, startMinute, endHour, endMinute]) => ({
          programmeId: programme.id,
          startsAt: witaAt(now, days, startHour, startMinute),
          endsAt: witaAt(now, days, endHour, endMinute),
        })),
      );
    }
  });
  return true;
}
