import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningBerdaya } from "../../src/server.js";
import { now } from "../domain/fixtures.js";
import { type RecordingClient, recordingClients } from "../e2e/support.js";
import { ConsoleClient, demoOrganisations, staffAccount } from "../support/console.js";
import { describeEachDatabase } from "../support/database.js";
import { startTestServer } from "../support/server.js";

describeEachDatabase("console: Saluran and Flows", (database) => {
  let berdaya: RunningBerdaya;
  let admin: ConsoleClient;
  let staff: ConsoleClient;
  const clients = recordingClients();
  let client: RecordingClient;

  beforeAll(async () => {
    const orgs = await demoOrganisations(database(), now);
    await staffAccount(database(), "admin@kota.id", orgs.dinsos, "admin");
    await staffAccount(database(), "siti@dinsos.id", orgs.dinsos);
    berdaya = await startTestServer(
      { WHATSAPP_ENABLED: "true" },
      {
        database: database(),
        whatsappClient: clients.factory,
      },
    );
    client = await clients.first;
    admin = new ConsoleClient(berdaya.url);
    await admin.login("admin@kota.id");
    staff = new ConsoleClient(berdaya.url);
    await staff.login("siti@dinsos.id");
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  it("shows an administrator the WhatsApp QR code while waiting to be paired", async () => {
    client.emit("qr", "2@console-qr,abc,def");
    const page = await admin.get("/console/saluran");
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-state="qr">Menunggu ditautkan');
    expect(page.text).toMatch(/<img class="qr" src="data:image\/png;base64,/);
    expect(page.text).toContain("Tautkan ulang WhatsApp");
    expect(page.text).toContain("Telegram</h2>\n<p>Status: <strong>Tidak aktif");
    expect(page.text).toContain('<noscript><meta http-equiv="refresh" content="5"></noscript>');
  });

  it("shows staff the state but not the QR code, and refuses them re-pairing", async () => {
    const page = await staff.get("/console/saluran");
    expect(page.text).toContain("Menunggu ditautkan");
    expect(page.text).not.toContain("data:image/png");
    expect(page.text).not.toContain("Tautkan ulang WhatsApp");
    expect((await staff.post("/console/saluran/whatsapp/tautkan-ulang")).status).toBe(403);
    expect(clients.clients).toHaveLength(1);
  });

  it("re-pairs for an administrator: the session is logged out and a new client starts", async () => {
    client.emit("authenticated");
    client.emit("ready");
    expect((await admin.get("/console/saluran")).text).toContain('data-state="ready">Tersambung');
    const done = await admin.post("/console/saluran/whatsapp/tautkan-ulang");
    expect(done.status).toBe(303);
    expect(client.destroyed).toBe(1);
    expect(clients.clients).toHaveLength(2);
    expect((await admin.get("/console/saluran")).text).toContain(
      "WhatsApp dilepas; pindai kode QR baru",
    );
  });

  it("lists every loaded flow as valid, with a way to try it in the simulator", async () => {
    const page = await staff.get("/console/flows");
    expect(page.status).toBe(200);
    for (const id of ["menu", "daftar", "petugas", "hapus_data", "berhenti"]) {
      expect(page.text).toContain(`<code>${id}</code>`);
    }
    expect(page.text).toContain('href="/simulator?mulai=petugas"');
    expect(page.text).toContain('href="/simulator?mulai=HAPUS%20DATA"');
    const checked = await staff.get("/console/flows?periksa=1");
    expect(checked.text).toMatch(/Folder flows diperiksa: \d+ flow valid\./);
  });
});
