import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { whatsappPairingRoutes } from "../../src/channels/whatsapp/routes.js";
import { leases } from "../../src/db/schema/index.js";
import { describeEachDatabase } from "../support/database.js";
import { serve, type TestServer } from "../support/http.js";
import { residentChat } from "./fake-client.js";
import { type Harness, whatsappHarness } from "./harness.js";
import { statusWhere } from "./manual-timers.js";

const qr = "2@Zm9vYmFyYmF6cXV4,c3RhdGljS2V5PQ==,aWRlbnRpdHlLZXk9,YWR2U2VjcmV0PQ==,1";
const heldElsewhere = { state: "disconnected", reason: "sesi WhatsApp dipegang proses lain" };
const noPipeline = async () => ({});

describeEachDatabase("WhatsApp session", (database) => {
  const started: Harness[] = [];
  let server: TestServer | undefined;

  function harness(options: Parameters<typeof whatsappHarness>[1] = {}): Harness {
    const created = whatsappHarness(database().db, options);
    started.push(created);
    return created;
  }

  async function page(h: Harness): Promise<string> {
    server ??= await serve([whatsappPairingRoutes(h.adapter)]);
    const response = await fetch(`${server.url}/whatsapp/pairing`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    return response.text();
  }

  beforeEach(async () => {
    await database().db.delete(leases);
  });
  afterEach(async () => {
    for (const h of started.splice(0)) await h.adapter.stop();
    await server?.close();
    server = undefined;
  });

  it("shows the QR code (terminal, data URL, page), then Tersambung once ready", async () => {
    const h = harness();
    await h.adapter.start(noPipeline);
    expect(h.clients).toHaveLength(1);
    expect(h.client().initialized).toBe(1);
    expect(h.adapter.status()).toEqual({ state: "starting" });

    h.client().emit("qr", qr);
    expect(h.adapter.status()).toEqual({ state: "qr", qr });
    const dataUrl = await h.adapter.pairingQrDataUrl();
    expect(dataUrl).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/);
    const terminal = await h.printed("pindai kode QR");
    expect(terminal).toContain("/whatsapp/pairing");
    expect(terminal).toContain("Perangkat tertaut");
    expect(terminal).toMatch(/[█▀▄]/);

    const waiting = await page(h);
    expect(waiting).toContain(`<img class="qr" src="${dataUrl}"`);
    expect(waiting).toContain('<meta http-equiv="refresh" content="5">');
    expect(waiting).not.toContain("<script");

    h.client().emit("authenticated");
    expect(h.adapter.status()).toEqual({ state: "authenticated" });
    expect(await h.adapter.pairingQrDataUrl()).toBeUndefined();
    h.client().emit("ready");
    expect(h.adapter.status()).toEqual({ state: "ready" });
    expect(await page(h)).toContain("Tersambung");
    expect(JSON.stringify(h.logs)).not.toContain("6281100000001");
    expect(JSON.stringify(h.logs)).not.toContain(qr);

    await h.adapter.stop();
    expect(h.adapter.status()).toEqual({ state: "off" });
    expect(h.client().destroyed).toBe(1);
    expect(await database().db.select().from(leases)).toEqual([]);
  });

  it("pairs with a code when a pairing number is set", async () => {
    const h = harness({ pairingNumber: "+6281100000001" });
    await h.adapter.start(noPipeline);
    h.client().emit("qr", qr);
    expect(h.client().pairingRequests).toEqual(["6281100000001"]);
    await h.client().lastPairingRequest;
    expect(h.adapter.pairingCode()).toBe("ABCD1234");
    await h.printed("kode penautan ABCD-1234");
    await h.printed("pindai kode QR");
    expect(await page(h)).toContain("ABCD-1234");
    h.client().emit("code", "WXYZ5678");
    h.client().emit("qr", `${qr}2`);
    expect(h.client().pairingRequests).toHaveLength(1);
    expect(h.adapter.pairingCode()).toBe("WXYZ5678");
  });

  it("escapes what it shows on the pairing page", async () => {
    const h = harness();
    await h.adapter.start(noPipeline);
    h.client().emit("disconnected", '<img src=x onerror="alert(1)">');
    const html = await page(h);
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).not.toContain("<img src=x");
  });

  it("replaces a disconnected client after a growing pause, and ignores the old one", async () => {
    const h = harness();
    await h.adapter.start(noPipeline);
    const first = h.client();
    first.emit("ready");

    let pause = h.timers.timeoutOf(5_000);
    first.emit("disconnected", "NAVIGATION");
    expect(h.adapter.status()).toEqual({
      state: "disconnected",
      reason: "koneksi terputus (NAVIGATION)",
    });
    expect(await h.adapter.send(residentChat, { text: "Halo" })).toMatchObject({ kind: "retry" });
    await pause;
    expect(first.destroyed).toBe(1);
    expect(first.listenerCount("message")).toBe(0);

    expect(h.timers.runTimeouts(5_000)).toBe(1);
    expect(h.clients).toHaveLength(2);
    expect(h.client().initialized).toBe(1);
    expect(h.adapter.status()).toEqual({ state: "starting" });

    pause = h.timers.timeoutOf(10_000);
    h.client().emit("disconnected", "TIMEOUT");
    await pause;
    h.timers.runTimeouts(10_000);
    expect(h.clients).toHaveLength(3);
    h.client().emit("ready");
    expect(h.adapter.status()).toEqual({ state: "ready" });
    expect(await h.adapter.send(residentChat, { text: "Halo" })).toMatchObject({ kind: "sent" });

    pause = h.timers.timeoutOf(5_000);
    h.client().emit("disconnected", "CONFLICT");
    await pause;
    expect(h.adapter.status()).toEqual({
      state: "disconnected",
      reason: "WhatsApp Web dibuka di tempat lain",
    });
  });

  it("asks for a new scan after a logout, with an alert in the log", async () => {
    const h = harness();
    await h.adapter.start(noPipeline);
    h.client().emit("ready");
    const pause = h.timers.timeoutOf(5_000);
    h.client().emit("disconnected", "LOGOUT");
    expect(h.adapter.status()).toEqual({ state: "disconnected", reason: "perlu pindai ulang" });
    expect(h.logs).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: "WhatsApp logged out: scan the QR code again at /whatsapp/pairing",
      }),
    );
    expect(await page(h)).toContain("Terputus: perlu pindai ulang");
    await pause;
    h.timers.runTimeouts(5_000);
    h.client().emit("qr", qr);
    expect(h.adapter.status()).toEqual({ state: "qr", qr });
  });

  it("treats a browser that fails or does not answer the watchdog as a disconnect", async () => {
    const h = harness();
    await h.adapter.start(noPipeline);
    h.client().emit("ready");
    h.client().onGetState = () =>
      Promise.reject(new Error("Session closed. Most likely the page has been closed."));
    let pause = h.timers.timeoutOf(5_000);
    expect(h.timers.tick(60_000)).toBe(1);
    await pause;
    expect(h.adapter.status()).toEqual({ state: "disconnected", reason: "browser tidak menjawab" });
    expect(h.clients[0]?.destroyed).toBe(1);

    h.timers.runTimeouts(5_000);
    h.client().emit("ready");
    h.client().onGetState = () => new Promise(() => {});
    const watchdogTimeout = h.timers.timeoutOf(9_000);
    h.timers.tick(60_000);
    await watchdogTimeout;
    expect(h.adapter.status()).toEqual({ state: "ready" });
    pause = h.timers.timeoutOf(5_000);
    h.timers.runTimeouts(9_000);
    await pause;
    expect(h.adapter.status()).toEqual({ state: "disconnected", reason: "browser tidak menjawab" });
    expect(h.clients[1]?.destroyed).toBe(1);
  });

  it("starts no client while another process holds the lease, and takes over after it stops", async () => {
    const a = harness({ holderId: "proses-a" });
    const b = harness({ holderId: "proses-b" });
    await a.adapter.start(noPipeline);
    expect(a.clients).toHaveLength(1);

    await b.adapter.start(noPipeline);
    expect(b.clients).toHaveLength(0);
    expect(b.adapter.status()).toEqual(heldElsewhere);
    expect(b.timers.pending()).toContain(30_000);

    b.timers.runTimeouts(30_000);
    await b.timers.timeoutOf(30_000);
    expect(b.clients).toHaveLength(0);

    await a.adapter.stop();
    b.timers.runTimeouts(30_000);
    await statusWhere(b.adapter, (state) => state.state === "starting");
    expect(b.clients).toHaveLength(1);
    const [row] = await database()
      .db.select()
      .from(leases)
      .where(eq(leases.name, "whatsapp-session"));
    expect(row?.holder).toBe("proses-b");
  });

  it("takes over an expired lease; the old holder closes its browser when it notices", async () => {
    let now = new Date("2026-11-28T02:00:00.000Z");
    const clock = () => now;
    const a = harness({ holderId: "proses-a", clock });
    const b = harness({ holderId: "proses-b", clock });
    await a.adapter.start(noPipeline);
    a.client().emit("ready");
    await b.adapter.start(noPipeline);
    expect(b.adapter.status()).toEqual(heldElsewhere);

    // Taken at 02:00:00, valid until 02:01:00.
    now = new Date("2026-11-28T02:00:59.000Z");
    b.timers.runTimeouts(30_000);
    await b.timers.timeoutOf(30_000);
    expect(b.clients).toHaveLength(0);

    // Process a hangs: no renewal for over a minute.
    now = new Date("2026-11-28T02:01:01.000Z");
    b.timers.runTimeouts(30_000);
    await statusWhere(b.adapter, (state) => state.state === "starting");
    expect(b.clients).toHaveLength(1);

    a.timers.tick(20_000);
    await statusWhere(a.adapter, (state) => state.state === "disconnected");
    expect(a.adapter.status()).toEqual(heldElsewhere);
    expect(a.clients[0]?.destroyed).toBe(1);
    await a.timers.timeoutOf(30_000);
    expect(await a.adapter.send(residentChat, { text: "Halo" })).toMatchObject({ kind: "retry" });
  });
});
