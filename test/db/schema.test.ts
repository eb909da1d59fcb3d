import { count, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { checkDatabase } from "../../src/db/health.js";
import {
  areas,
  channelIdentities,
  contacts,
  inboundMessages,
  organisations,
  outboxMessages,
  programmeSessions,
  programmes,
} from "../../src/db/schema/index.js";
import { seedDemo } from "../../src/db/seed.js";
import { describeEachDatabase } from "../support/database.js";

describeEachDatabase("schema", (database) => {
  it("has every migration applied and the 6 kecamatan and 34 kelurahan of Balikpapan", async () => {
    const { db } = database();
    expect(await checkDatabase(db)).toEqual({ ok: true });
    const kinds = await db
      .select({ kind: areas.kind, n: count() })
      .from(areas)
      .groupBy(areas.kind)
      .orderBy(areas.kind);
    expect(kinds).toEqual([
      { kind: "kecamatan", n: 6 },
      { kind: "kelurahan", n: 34 },
    ]);
  });

  it("applying the migrations again changes nothing", async () => {
    await database().migrate();
    expect(await checkDatabase(database().db)).toEqual({ ok: true });
  });

  async function newIdentity(externalId: string) {
    const { db } = database();
    const [contact] = await db.insert(contacts).values({}).returning();
    const [identity] = await db
      .insert(channelIdentities)
      .values({ contactId: contact!.id, channel: "telegram", externalId })
      .returning();
    return { contact: contact!, identity: identity! };
  }

  it("rejects a second inbound message with the same channel and message id", async () => {
    const { db } = database();
    const { contact, identity } = await newIdentity("1001");
    const message = {
      channel: "telegram" as const,
      externalId: "update-77",
      identityId: identity.id,
      contactId: contact.id,
      kind: "text",
      text: "halo",
      receivedAt: new Date(),
    };
    await db.insert(inboundMessages).values(message);
    await expect(db.insert(inboundMessages).values(message)).rejects.toThrow();
    // The same id on another channel is another message.
    await db.insert(inboundMessages).values({ ...message, channel: "simulator" });
    const inserted = await db
      .insert(inboundMessages)
      .values(message)
      .onConflictDoNothing()
      .returning();
    expect(inserted).toEqual([]);
  });

  it("rejects a second outbox row with the same dedupe key", async () => {
    const { db } = database();
    const { contact, identity } = await newIdentity("1002");
    const row = (sequence: number) => ({
      contactId: contact.id,
      identityId: identity.id,
      channel: "telegram" as const,
      sequence,
      payload: { text: "Pengingat: besok pelatihan menjahit" },
      dedupeKey: "reminder:session-1:contact-1:day-before",
    });
    await db.insert(outboxMessages).values(row(1));
    await expect(db.insert(outboxMessages).values(row(2))).rejects.toThrow();
    const [pending] = await db
      .select({ status: outboxMessages.status, priority: outboxMessages.priority })
      .from(outboxMessages)
      .where(eq(outboxMessages.contactId, contact.id));
    expect(pending).toEqual({ status: "pending", priority: 0 });
  });

  it("rejects two channel identities with the same channel and external id", async () => {
    await newIdentity("1003");
    await expect(newIdentity("1003")).rejects.toThrow();
  });

  it("seeds the demo organisations and programmes once, with sessions in the coming weeks", async () => {
    const { db } = database();
    const now = new Date("2026-11-28T02:00:00Z"); // Sabtu, 28 November 2026 10.00 WITA
    expect(await seedDemo(db, now)).toBe(true);
    expect(await seedDemo(db, now)).toBe(false);
    expect((await db.select({ n: count() }).from(organisations))[0]?.n).toBe(2);
    const seeded = await db
      .select({ code: programmes.code, capacity: programmes.capacity, status: programmes.status })
      .from(programmes)
      .orderBy(programmes.code);
    expect(seeded.map((p) => p.code)).toEqual(["BRS01", "MJH01", "MJH02", "RTI01"]);
    expect(seeded.every((p) => p.capacity === 16 && p.status === "open")).toBe(true);
    const [first] = await db
      .select({ startsAt: programmeSessions.startsAt })
      .from(programmeSessions)
      .innerJoin(programmes, eq(programmes.id, programmeSessions.programmeId))
      .where(eq(programmes.code, "MJH01"))
      .orderBy(programmeSessions.startsAt)
      .limit(1);
    // Senin, 30 November 2026 pukul 08.00 WITA
    expect(first?.startsAt.toISOString()).toBe("2026-11-30T00:00:00.000Z");
  });
});
