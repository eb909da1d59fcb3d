import { asc, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { channelIdentities, outboxMessages } from "../../src/db/schema/index.js";
import { ensureIdentity } from "../../src/domain/contacts.js";
import { eraseContact } from "../../src/domain/erasure.js";
import { enqueueMessage } from "../../src/domain/outbox.js";
import { describeEachDatabase } from "../support/database.js";
import { now, resident } from "./fixtures.js";

describeEachDatabase("outbox", (database) => {
  it("numbers each contact's messages 1, 2, 3 … independently of other contacts", async () => {
    const { db } = database();
    const siti = await resident(db, "o1-siti");
    const budi = await resident(db, "o1-budi");
    const send = (contactId: number, text: string) =>
      enqueueMessage(db, { contactId, text, priority: "reply", now });
    await send(siti.contactId, "Halo Siti");
    await send(budi.contactId, "Halo Budi");
    await send(siti.contactId, "Pilih program");
    const rows = await db
      .select({
        contactId: outboxMessages.contactId,
        sequence: outboxMessages.sequence,
        payload: outboxMessages.payload,
        identityId: outboxMessages.identityId,
        status: outboxMessages.status,
      })
      .from(outboxMessages)
      .orderBy(asc(outboxMessages.id));
    expect(rows).toEqual([
      {
        contactId: siti.contactId,
        sequence: 1,
        payload: { text: "Halo Siti" },
        identityId: siti.identityId,
        status: "pending",
      },
      {
        contactId: budi.contactId,
        sequence: 1,
        payload: { text: "Halo Budi" },
        identityId: budi.identityId,
        status: "pending",
      },
      {
        contactId: siti.contactId,
        sequence: 2,
        payload: { text: "Pilih program" },
        identityId: siti.identityId,
        status: "pending",
      },
    ]);
  });

  it("sends through the identity the resident used last, skipping unreachable ones", async () => {
    const { db } = database();
    const telegram = await ensureIdentity(db, { channel: "telegram", externalId: "o2-777", now });
    const [whatsapp] = await db
      .insert(channelIdentities)
      .values({
        contactId: telegram.contactId,
        channel: "whatsapp",
        externalId: "6281200000002@c.us",
        lastInboundAt: new Date(now.getTime() + 60_000),
      })
      .returning();
    const first = await enqueueMessage(db, {
      contactId: telegram.contactId,
      text: "a",
      priority: "notice",
      now,
    });
    await db
      .update(channelIdentities)
      .set({ unreachableAt: now })
      .where(eq(channelIdentities.id, whatsapp!.id));
    const second = await enqueueMessage(db, {
      contactId: telegram.contactId,
      text: "b",
      priority: "notice",
      now,
    });
    const replyOnTelegram = await enqueueMessage(db, {
      contactId: telegram.contactId,
      identityId: telegram.identityId,
      text: "c",
      priority: "reply",
      now,
    });
    const channels = await db
      .select({ channel: outboxMessages.channel })
      .from(outboxMessages)
      .where(eq(outboxMessages.contactId, telegram.contactId))
      .orderBy(asc(outboxMessages.sequence));
    expect(channels.map((c) => c.channel)).toEqual(["whatsapp", "telegram", "telegram"]);
    expect([first, second, replyOnTelegram].map((r) => r.queued)).toEqual([true, true, true]);
  });

  it("writes one row per dedupe key and nothing for an erased resident", async () => {
    const { db } = database();
    const who = await resident(db, "o3-a");
    const reminder = {
      contactId: who.contactId,
      text: "Pengingat: besok pelatihan menjahit",
      priority: "notice" as const,
      dedupeKey: "reminder:o3",
      now,
    };
    expect((await enqueueMessage(db, reminder)).queued).toBe(true);
    expect(await enqueueMessage(db, reminder)).toEqual({ queued: false, reason: "duplicate" });
    await eraseContact(db, { contactId: who.contactId, now });
    expect(await enqueueMessage(db, { ...reminder, dedupeKey: "reminder:o3-2" })).toEqual({
      queued: false,
      reason: "unreachable",
    });
    // A reply to the turn that erased the contact is not written either.
    expect(
      await enqueueMessage(db, { ...reminder, dedupeKey: undefined, identityId: who.identityId }),
    ).toEqual({ queued: false, reason: "erased" });
  });
});
