import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import {
  assistanceRequests,
  auditLog,
  broadcasts,
  channelIdentities,
  contacts,
  outboxMessages,
} from "../../src/db/schema/index.js";
import type { RunningBerdaya } from "../../src/server.js";
import { now } from "../domain/fixtures.js";
import {
  ConsoleClient,
  demoOrganisations,
  type Organisations,
  staffAccount,
  startConsoleServer,
} from "../support/console.js";
import { describeEachDatabase } from "../support/database.js";
import { registerIn, runningClock } from "../support/residents.js";
import { say } from "../support/simulator-resident.js";

const evilName = "<img src=x onerror=alert(1)>";

describeEachDatabase("console: Percakapan (handover to staff)", (database) => {
  let berdaya: RunningBerdaya;
  let orgs: Organisations;
  let siti: ConsoleClient;
  let contactId: number;

  /** What the resident types in the simulator, and the bot's replies to it. */
  const says = (from: string, text: string, name?: string) => say(berdaya.url, from, text, name);

  async function contactOf(externalId: string): Promise<number> {
    const [row] = await database()
      .db.select({ contactId: channelIdentities.contactId })
      .from(channelIdentities)
      .where(eq(channelIdentities.externalId, externalId));
    if (!row) throw new Error(`no resident ${externalId}`);
    return row.contactId;
  }

  /** The newest message queued to the resident, once delivery has settled it. */
  async function lastDelivered(): Promise<{ text: unknown; status: string }> {
    const read = async () => {
      const [row] = await database()
        .db.select({ payload: outboxMessages.payload, status: outboxMessages.status })
        .from(outboxMessages)
        .where(eq(outboxMessages.contactId, contactId))
        .orderBy(desc(outboxMessages.id))
        .limit(1);
      return { text: row?.payload.text, status: row?.status ?? "none" };
    };
    return vi.waitFor(
      async () => {
        const row = await read();
        expect(row.status).toBe("sent");
        return row;
      },
      { timeout: 5_000, interval: 50 },
    );
  }

  beforeAll(async () => {
    orgs = await demoOrganisations(database(), now);
    await staffAccount(database(), "siti@dinsos.id", orgs.dinsos, "staff", "Siti");
    await staffAccount(database(), "budi@lsm.id", orgs.lsm);
    await staffAccount(database(), "admin@kota.id", orgs.dinsos, "admin");
    berdaya = await startConsoleServer(database(), { clock: runningClock() });
    siti = new ConsoleClient(berdaya.url);
    await siti.login("siti@dinsos.id");
    await says("warga-sari", "halo", evilName);
    await says("warga-sari", "setuju");
    contactId = await contactOf("warga-sari");
    await registerIn(database().db, contactId, "MJH01", now);
    await says("warga-umar", "halo");
    await says("warga-umar", "setuju");
    await says("warga-umar", "petugas");
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  it("lists a resident who asked for a petugas, name escaped, to their organisation's staff", async () => {
    const replies = await says("warga-sari", "petugas");
    expect(replies.join("\n")).toContain("Permintaan Anda sudah kami teruskan");
    const page = await siti.get("/console/percakapan");
    expect(page.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(page.text).not.toContain(evilName);
    expect(page.text).toContain("Minta bicara dengan petugas");
    // Umar is registered nowhere: for administrators only.
    expect(page.text.match(/href="\/console\/percakapan\/\d+"/g)).toHaveLength(1);
    const admin = new ConsoleClient(berdaya.url);
    await admin.login("admin@kota.id");
    const all = await admin.get("/console/percakapan");
    expect(all.text.match(/href="\/console\/percakapan\/\d+"/g)).toHaveLength(2);
  });

  it("shows the history escaped; a reply reaches the resident and the bot goes quiet", async () => {
    await says("warga-sari", "<script>alert('hai')</script>");
    const before = await siti.get(`/console/percakapan/${contactId}`);
    expect(before.text).toContain("&lt;script&gt;alert(&#39;hai&#39;)&lt;/script&gt;");
    expect(before.text).not.toContain("<script>alert");
    const typedBlank = await siti.post(`/console/percakapan/${contactId}/balas`, { text: "  " });
    expect(typedBlank.status).toBe(400);
    expect(typedBlank.text).toContain("Tulis balasan dulu.");

    const replied = await siti.post(`/console/percakapan/${contactId}/balas`, {
      text: "Halo Bu, saya Siti dari Dinas Sosial. Ada yang bisa dibantu?",
    });
    expect(replied.status).toBe(303);
    expect(await lastDelivered()).toEqual({
      text: "Halo Bu, saya Siti dari Dinas Sosial. Ada yang bisa dibantu?",
      status: "sent",
    });
    const [request] = await database()
      .db.select()
      .from(assistanceRequests)
      .where(eq(assistanceRequests.contactId, contactId));
    expect(request?.status).toBe("in_progress");

    expect(await says("warga-sari", "menu")).toEqual([]);
    expect(await says("warga-sari", "saya mau tanya jadwal")).toEqual([]);
    const during = await siti.get(`/console/percakapan/${contactId}`);
    expect(during.text).toContain("saya mau tanya jadwal");
    expect(during.text).toContain("bot diam");
  });

  it("still answers BERHENTI during the handover (a resident's right)", async () => {
    const replies = await says("warga-sari", "berhenti");
    expect(replies.join("\n")).toContain("Anda tidak akan menerima pengumuman lagi");
    const [contact] = await database()
      .db.select({ handover: contacts.handoverSince })
      .from(contacts)
      .where(eq(contacts.id, contactId));
    expect(contact?.handover).not.toBeNull();
  });

  it("keeps another organisation's staff out (404, nothing changed)", async () => {
    const budi = new ConsoleClient(berdaya.url);
    await budi.login("budi@lsm.id");
    expect((await budi.get("/console/percakapan")).text).not.toContain("onerror");
    expect((await budi.get(`/console/percakapan/${contactId}`)).status).toBe(404);
    await budi.get("/console/percakapan");
    const reply = await budi.post(`/console/percakapan/${contactId}/balas`, { text: "Halo" });
    expect(reply.status).toBe(404);
    expect((await budi.post(`/console/percakapan/${contactId}/kembalikan`)).status).toBe(404);
    const [contact] = await database()
      .db.select({ handover: contacts.handoverSince })
      .from(contacts)
      .where(eq(contacts.id, contactId));
    expect(contact?.handover).not.toBeNull();
  });

  it("hands back to the bot: the resident is told, the bot answers again", async () => {
    await siti.get(`/console/percakapan/${contactId}`);
    const back = await siti.post(`/console/percakapan/${contactId}/kembalikan`);
    expect(back.status).toBe(303);
    expect(await lastDelivered()).toEqual({
      text: "Petugas sudah selesai. Ketik MENU untuk kembali ke menu.",
      status: "sent",
    });
    expect((await says("warga-sari", "menu")).join("\n")).toContain("Menu utama");
    const open = await database()
      .db.select()
      .from(assistanceRequests)
      .where(
        and(eq(assistanceRequests.contactId, contactId), eq(assistanceRequests.status, "closed")),
      );
    expect(open).toHaveLength(1);
    const audit = await database()
      .db.select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.subjectType, "contact"));
    expect(audit.map((row) => row.action).sort()).toEqual([
      "conversation.handback",
      "conversation.reply",
    ]);
    expect((await siti.get("/console/percakapan")).text).toContain(
      "Tidak ada warga yang menunggu.",
    );
  });

  it("shows the messages of a contact linked into the resident, and marks announcements", async () => {
    await says("warga-tono", "halo dari nomor lama");
    await database()
      .db.update(contacts)
      .set({ mergedIntoContactId: contactId })
      .where(eq(contacts.id, await contactOf("warga-tono")));
    const [broadcast] = await database()
      .db.insert(broadcasts)
      .values({ organisationId: orgs.dinsos, title: "Info", text: "Info" })
      .returning({ id: broadcasts.id });
    const [first] = await database()
      .db.select({ id: outboxMessages.id })
      .from(outboxMessages)
      .where(eq(outboxMessages.contactId, contactId))
      .orderBy(outboxMessages.id)
      .limit(1);
    if (!broadcast || !first) throw new Error("no broadcast or message");
    await database()
      .db.update(outboxMessages)
      .set({ broadcastId: broadcast.id })
      .where(eq(outboxMessages.id, first.id));
    const page = await siti.get(`/console/percakapan/${contactId}`);
    expect(page.text).toContain("halo dari nomor lama");
    expect(page.text).toContain(" · Pengumuman · ");
  });
});
