import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed, vi } from "vitest";
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
import { runningClock } from "../support/residents.js";

const requireChromium = process.env.CI === "true";
if (!hasChromium && !requireChromium) {
  console.warn(
    "\n⚠ Chromium is not installed (apt-get install chromium): browser tests are SKIPPED.\n",
  );
}

/** A resident's name that would run script if any page put it into markup unescaped. */
const hostileName = "<img src=x onerror=alert(1)>";

/**
 * A staff member runs a programme from the console alone, in a real Chromium (playwright-core),
 * while a resident chats in the simulator page in another window. The steps build on each
 * other, as a morning's work does. The clock runs from Saturday 10.00 WITA, outside quiet hours.
 */
describe.skipIf(!hasChromium && !requireChromium)("staff console in a browser", () => {
  let database: Database;
  let berdaya: RunningBerdaya;
  let browser: Browser;
  let staffContext: BrowserContext;
  let staff: Page;
  let resident: Page;
  /** Any alert() a page ran: escaping failed somewhere. */
  const dialogs: string[] = [];

  beforeAll(async () => {
    database = await freshDatabase("pglite");
    const { dinsos } = await demoOrganisations(database, new Date("2026-11-28T02:00:00Z"));
    await staffAccount(database, "admin@dinsos.id", dinsos, "admin", "Admin Dinsos");
    berdaya = await startConsoleServer(database, { clock: runningClock() });
    browser = await launchBrowser();
    staffContext = await browser.newContext({ baseURL: berdaya.url, acceptDownloads: true });
    staff = await staffContext.newPage();
    resident = await (await browser.newContext({ baseURL: berdaya.url })).newPage();
    for (const page of [staff, resident]) {
      page.on("dialog", async (dialog) => {
        dialogs.push(dialog.message());
        await dialog.dismiss();
      });
    }
    await resident.goto("/simulator");
  });
  afterAll(async () => {
    await browser?.close();
    await berdaya?.stop();
    await database?.close();
  });

  beforeEach(({ task }) => {
    onTestFailed(async () => {
      await screenshot(staff, `gagal-${task.name}-petugas`);
      await screenshot(resident, `gagal-${task.name}-warga`);
    });
  });

  /** The resident types `text` and waits for Berdaya's message containing `expected`. */
  async function residentSays(text: string, expected: string): Promise<void> {
    await resident.getByLabel("Pesan").fill(text);
    await resident.getByRole("button", { name: "Kirim" }).click();
    await resident.getByRole("log").getByText(expected).last().waitFor();
  }

  async function logIn(email: string, secret: string): Promise<void> {
    await staff.goto("/console/masuk");
    await staff.getByLabel("Email").fill(email);
    await staff.getByLabel("Kata sandi").fill(secret);
    await staff.getByRole("button", { name: "Masuk" }).click();
  }

  const heading = () => staff.getByRole("heading", { level: 1 }).textContent();

  it("refuses a wrong password", async () => {
    await logIn("admin@dinsos.id", "bukan-kata-sandinya");
    expect(await staff.getByRole("alert").textContent()).toBe("Email atau kata sandi salah.");
    await screenshot(staff, "01-masuk-gagal");
  });

  it("logs in and shows the dashboard", async () => {
    await logIn("admin@dinsos.id", password);
    await staff.waitForURL("**/console");
    expect(await heading()).toBe("Dasbor");
    await screenshot(staff, "02-dasbor");
  });

  it("refuses a form posted without the CSRF token", async () => {
    const response = await staffContext.request.post("/console/token-api", {
      form: { name: "tanpa csrf" },
    });
    expect(response.status()).toBe(403);
    await staff.goto("/console/token-api");
    expect(await staff.content()).not.toContain("tanpa csrf");
    await screenshot(staff, "03-token-api");
  });

  it("creates a programme and a session", async () => {
    await staff.goto("/console/program/baru");
    await staff.getByLabel("Judul program").fill("Tata Boga Kue Basah");
    await staff.getByLabel("Kode program").fill("TBG77");
    await staff.getByLabel("Kategori").selectOption("tata_boga");
    await staff.getByLabel("Tempat").fill("Aula Kelurahan Gunung Sari Ilir");
    await staff.getByLabel("Kuota (kursi)").fill("10");
    await staff.getByLabel("Status").selectOption("open");
    await screenshot(staff, "04-program-baru");
    await staff.getByRole("button", { name: "Buat program" }).click();
    expect(await heading()).toContain("Tata Boga Kue Basah");
    await staff.getByRole("link", { name: "Tambah sesi" }).click();
    await staff.getByLabel("Tanggal").fill("2026-12-07");
    await staff.getByLabel("Jam mulai (WITA)").fill("09:00");
    await staff.getByLabel("Jam selesai (WITA)").fill("12:00");
    await staff.getByRole("button", { name: "Lanjut" }).click();
    expect(await staff.content()).toContain("7 Desember 2026");
    await screenshot(staff, "05-program-dan-sesi");
  });

  it("shows a resident who registered in the simulator in Peserta, named as text", async () => {
    await residentSays("halo", "Apakah Anda setuju?");
    await residentSays("iya setuju", "Menu utama");
    await residentSays("daftar TBG77", "nama lengkap");
    await residentSays(hostileName, "kecamatan");
    await residentSays("balikpapan tengah", "kelurahan");
    await residentSays("gn sari ilir", "kelompok");
    await residentSays("ibu rumah tangga", "nomor HP");
    await residentSays("0812-3456-7891", "Apakah sudah benar?");
    await residentSays("iya", "Tata Boga Kue Basah");
    await residentSays("y", "Pendaftaran berhasil");
    await screenshot(resident, "06-simulator-pendaftaran");

    await staff.goto("/console/program");
    await staff.getByRole("row", { name: /TBG77/ }).getByRole("link", { name: "Peserta" }).click();
    await staff.getByText(hostileName).first().waitFor();
    expect(await staff.locator("img[src=x]").count()).toBe(0);
    await screenshot(staff, "07-peserta");
  });

  it("exports the participants as a CSV that Excel opens (UTF-8 with BOM)", async () => {
    const [download] = await Promise.all([
      staff.waitForEvent("download"),
      staff.getByRole("link", { name: "Unduh CSV (Excel)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("peserta-TBG77.csv");
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const csv = Buffer.concat(chunks);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString("utf8")).toContain("0812-3456-7891");
  });

  it("changes a need's status with a message that reaches the resident's chat", async () => {
    await residentSays("lapor", "Kebutuhan apa");
    await residentSays("2", "Ceritakan singkat");
    await residentSays("Anak saya demam, belum bisa berobat.", "foto");
    await residentSays("lewati", "Apakah kebutuhan ini di Kelurahan Gunung Sari Ilir");
    await residentSays("iya", "Kirim laporan ini?");
    await residentSays("kirim", "Laporan Anda sudah kami terima");
    await staff.goto("/console/laporan");
    await screenshot(staff, "08-laporan");
    await staff.getByRole("link", { name: /LAP-/ }).first().click();
    await staff.getByLabel("Status baru").selectOption("ditinjau");
    await staff
      .getByLabel("Pesan untuk warga (boleh kosong)")
      .fill("Petugas kami akan berkunjung hari Senin.");
    await staff.getByRole("button", { name: "Simpan dan kabari warga" }).click();
    await screenshot(staff, "09-laporan-detail");
    await resident.getByRole("log").getByText("Petugas kami akan berkunjung hari Senin.").waitFor();
    await screenshot(resident, "10-simulator-kabar-laporan");
  });

  it("sends an announcement to a filtered audience and shows progress reaching 100 %", async () => {
    await staff.goto("/console/pengumuman/baru");
    await staff
      .getByLabel("Isi pengumuman")
      .fill("Halo {nama}, kelas Tata Boga dimulai Senin pukul 09.00.");
    await staff.getByLabel("Program").selectOption({ label: "TBG77 · Tata Boga Kue Basah" });
    await staff.getByRole("button", { name: "Hitung penerima" }).click();
    await screenshot(staff, "11-pengumuman-pratinjau");
    await staff.getByRole("button", { name: "Kirim / jadwalkan" }).click();
    await vi.waitFor(
      async () => {
        await staff.reload();
        expect(await staff.locator('[data-field="percentText"]').textContent()).toBe("100%");
      },
      { timeout: 20_000, interval: 500 },
    );
    await screenshot(staff, "12-pengumuman-terkirim");
    await resident.getByRole("log").getByText("kelas Tata Boga dimulai Senin").waitFor();
  });

  it("replies to a resident who asked for a petugas, through their chat", async () => {
    await residentSays("petugas", "petugas");
    await staff.goto("/console/percakapan");
    await screenshot(staff, "13-percakapan");
    await staff.getByRole("link", { name: hostileName }).first().click();
    await staff
      .getByLabel("Balasan untuk warga")
      .fill("Halo Bu, saya Rina dari Dinas Sosial. Ada yang bisa dibantu?");
    await staff.getByRole("button", { name: "Kirim balasan" }).click();
    await resident.getByRole("log").getByText("saya Rina dari Dinas Sosial").waitFor();
    await screenshot(staff, "14-percakapan-balas");
    await screenshot(resident, "15-simulator-balasan-petugas");
  });

  it("shows the resident's name as text on Warga, and no page ran their name as script", async () => {
    await staff.goto("/console/warga");
    await staff.getByRole("link", { name: hostileName }).first().click();
    await staff.getByText("Persetujuan").first().waitFor();
    await screenshot(staff, "16-warga");
    for (const path of ["/console/saluran", "/console/flows", "/console/akun"]) {
      await staff.goto(path);
      await screenshot(staff, `17-${path.split("/").at(-1)}`);
    }
    expect(dialogs).toEqual([]);
  });
});
