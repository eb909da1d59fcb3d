import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { auditLog, broadcasts, outboxMessages } from "../../src/db/schema/index.js";
import type { RunningBerdaya } from "../../src/server.js";
import { now, programmeIdOf } from "../domain/fixtures.js";
import {
  ConsoleClient,
  demoOrganisations,
  type Organisations,
  staffAccount,
  startConsoleServer,
} from "../support/console.js";
import { describeEachDatabase } from "../support/database.js";
import { manggar, participant, runningClock } from "../support/residents.js";

const evil = "<img src=x onerror=alert(1)>";

describeEachDatabase("console: Pengumuman", (database) => {
  let berdaya: RunningBerdaya;
  let orgs: Organisations;
  let dinsos: ConsoleClient;
  let lsm: ConsoleClient;

  beforeAll(async () => {
    const { db } = database();
    orgs = await demoOrganisations(database(), now);
    await staffAccount(database(), "siti@dinsos.id", orgs.dinsos);
    await staffAccount(database(), "budi@lsm.id", orgs.lsm);
    await participant(db, "ani", { name: "Ani", programme: "MJH01", kelurahan: manggar });
    await participant(db, "evil", { name: evil, programme: "MJH01" });
    await participant(db, "cici", { name: "Cici", programme: "MJH01" });
    await participant(db, "tele", { name: "Tuti", programme: "MJH02", channel: "telegram" });
    await participant(db, "lsm-only", { name: "Lina", programme: "MJH02" });
    await participant(db, "unconnected", { name: "Umar" });
    berdaya = await startConsoleServer(database(), { clock: runningClock() });
    dinsos = new ConsoleClient(berdaya.url);
    await dinsos.login("siti@dinsos.id");
    lsm = new ConsoleClient(berdaya.url);
    await lsm.login("budi@lsm.id");
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  const mjh01 = () => programmeIdOf(database().db, "MJH01");

  it("counts the audience without JavaScript and shows names and the message escaped", async () => {
    await dinsos.get("/console/pengumuman/baru");
    const page = await dinsos.post("/console/pengumuman/baru", {
      text: "Halo {nama} dari {kelurahan}, kelas dimulai Senin.",
      programmeId: String(await mjh01()),
      action: "preview",
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain("<strong data-count>3</strong> warga");
    expect(page.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(page.text).not.toContain(evil);
    expect(page.text).toContain("Halo Ani dari Manggar, kelas dimulai Senin.");
    expect(page.text).toContain("Ketik BERHENTI jika tidak ingin menerima pengumuman lagi.");
    // What was typed stays in the form.
    expect(page.text).toContain("Halo {nama} dari {kelurahan}, kelas dimulai Senin.</textarea>");
  });

  it("gives staff only their organisation's participants, also through the JSON count", async () => {
    const csrf = /name="_csrf" value="([^"]+)"/.exec(
      (await dinsos.get("/console/pengumuman/baru")).text,
    )?.[1];
    const response = await fetch(`${berdaya.url}/console/pengumuman/pratinjau`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-csrf-token": csrf ?? "",
        cookie: `berdaya_sesi=${encodeURIComponent(dinsos.cookie("berdaya_sesi") ?? "")}`,
      },
      body: new URLSearchParams({ text: "Halo" }).toString(),
    });
    expect(response.status).toBe(200);
    const preview = (await response.json()) as { count: number; html: string };
    // Ani, the resident named like markup and Cici (MJH01): not LSM's Lina and Tuti, not Umar.
    expect(preview.count).toBe(3);
    expect(preview.html).toContain("&lt;img");
  });

  it("refuses a time already past, next to the field, keeping what was typed", async () => {
    await dinsos.get("/console/pengumuman/baru");
    const page = await dinsos.post("/console/pengumuman/baru", {
      text: "Pengumuman terlambat",
      sendDate: "2026-11-27",
      sendTime: "09:00",
      action: "send",
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain('id="sendDate-error">Waktu kirim sudah lewat');
    expect(page.text).toContain("Pengumuman terlambat</textarea>");
    expect(await database().db.select().from(broadcasts)).toHaveLength(0);
  });

  it("refuses an unknown placeholder", async () => {
    await dinsos.get("/console/pengumuman/baru");
    const page = await dinsos.post("/console/pengumuman/baru", {
      text: "Halo {nma}",
      action: "send",
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain("Kata pengganti tidak dikenal: {nma}");
  });

  let sentId: number;

  it("sends now: progress reaches 100 % through the delivery worker, each text personalised", async () => {
    await dinsos.get("/console/pengumuman/baru");
    const sent = await dinsos.post("/console/pengumuman/baru", {
      title: "Kelas <b>menjahit</b>",
      text: "Halo {nama}, bawa kain. <script>alert(1)</script>",
      programmeId: String(await mjh01()),
      action: "send",
    });
    expect(sent.status).toBe(303);
    sentId = Number(/\/console\/pengumuman\/(\d+)$/.exec(sent.location ?? "")?.[1]);
    const progress = await vi.waitFor(
      async () => {
        const text = (await dinsos.get(`/console/pengumuman/${sentId}/progres`)).text as string;
        expect(JSON.parse(text).percent).toBe(100);
        return text;
      },
      { timeout: 5_000, interval: 50 },
    );
    expect(JSON.parse(progress)).toMatchObject({ sent: 3, total: 3, status: "done", percent: 100 });
    const texts = await database()
      .db.select({ payload: outboxMessages.payload })
      .from(outboxMessages)
      .where(eq(outboxMessages.broadcastId, sentId));
    expect(texts.map((row) => row.payload.text).sort()).toEqual(
      ["Ani", "Cici", evil]
        .map(
          (name) =>
            `Halo ${name}, bawa kain. <script>alert(1)</script>\n\nKetik BERHENTI jika tidak ingin menerima pengumuman lagi.`,
        )
        .sort(),
    );
    const detail = await dinsos.get(`/console/pengumuman/${sentId}`);
    expect(detail.text).toContain('<progress max="100" value="100"');
    expect(detail.text).toContain("Terkirim");
    expect(detail.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(detail.text).not.toContain("<script>alert(1)</script>");
    expect(detail.text).toContain("Kelas &lt;b&gt;menjahit&lt;/b&gt;");
    const list = await dinsos.get("/console/pengumuman");
    expect(list.text).toContain("Kelas &lt;b&gt;menjahit&lt;/b&gt;");
    expect(list.text).toContain("Selesai");
  });

  it("cancels: messages not sent yet are withdrawn", async () => {
    // Telegram is not running in this server, so Tuti's copy waits in the queue.
    await lsm.get("/console/pengumuman/baru");
    const sent = await lsm.post("/console/pengumuman/baru", {
      text: "Jadwal MJH02 berubah",
      programmeId: String(await programmeIdOf(database().db, "MJH02")),
      channels: "telegram",
      action: "send",
    });
    expect(sent.status).toBe(303);
    const path = sent.location ?? "";
    const before = await lsm.get(path);
    expect(before.text).toContain('data-field="queued">1<');
    const cancelled = await lsm.post(`${path}/batal`);
    expect(cancelled.status).toBe(303);
    const after = await lsm.get(path);
    expect(after.text).toContain("Pengumuman dibatalkan; 1 pesan yang belum terkirim ditarik.");
    expect(after.text).toContain("Dibatalkan: pengumuman dibatalkan oleh petugas");
    expect(after.text).not.toContain("Batalkan pengumuman");
    const audit = await database()
      .db.select()
      .from(auditLog)
      .where(eq(auditLog.action, "broadcast.cancelled"));
    expect(audit).toHaveLength(1);
  });

  it("hides one organisation's announcements from another's staff (404, nothing changed)", async () => {
    expect((await lsm.get(`/console/pengumuman/${sentId}`)).status).toBe(404);
    expect((await lsm.get(`/console/pengumuman/${sentId}/progres`)).status).toBe(404);
    await lsm.get("/console/pengumuman");
    expect((await lsm.post(`/console/pengumuman/${sentId}/batal`)).status).toBe(404);
    const list = await lsm.get("/console/pengumuman");
    expect(list.text).not.toContain("menjahit");
  });

  it("refuses another organisation's programme as the audience", async () => {
    await lsm.get("/console/pengumuman/baru");
    const page = await lsm.post("/console/pengumuman/baru", {
      text: "Halo",
      programmeId: String(await mjh01()),
      action: "preview",
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain('id="programmeId-error">Program tidak ditemukan');
  });
});
