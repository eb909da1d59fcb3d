import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { OutboundMessage } from "../../src/channels/contract.js";
import { loadConfig } from "../../src/config.js";
import { type Core, openCore } from "../../src/core.js";
import {
  channelIdentities,
  contacts,
  inboundMessages,
  mediaFiles,
  outboxMessages,
} from "../../src/db/schema/index.js";
import { createLogger } from "../../src/log.js";
import { describeEachDatabase } from "../support/database.js";
import { noEnvFile } from "../support/process.js";
import { lidChat, rawImage, rawMessage, residentChat } from "./fake-client.js";
import { type Harness, readyHarness } from "./harness.js";

const now = new Date("2026-11-28T02:05:00.000Z");

describeEachDatabase("a WhatsApp conversation through the real pipeline", (database) => {
  let core: Core;
  let h: Harness;

  beforeAll(async () => {
    const config = loadConfig({ SEED_DEMO: "true", LOG_LEVEL: "silent" }, noEnvFile);
    core = await openCore(config, createLogger("silent"), {
      database: database(),
      clock: () => now,
    });
    h = await readyHarness(database().db, (message) => core.pipeline.receive(message), {
      clock: () => now,
    });
  });
  afterAll(async () => {
    await h?.adapter.stop();
    await core?.close();
  });

  async function outboxOf(chatId: string) {
    return database()
      .db.select({ outbox: outboxMessages, identity: channelIdentities })
      .from(outboxMessages)
      .innerJoin(channelIdentities, eq(channelIdentities.id, outboxMessages.identityId))
      .where(
        and(eq(channelIdentities.channel, "whatsapp"), eq(channelIdentities.externalId, chatId)),
      )
      .orderBy(asc(outboxMessages.sequence));
  }

  it("answers 'halo' with the consent question, once, even when the event comes twice", async () => {
    const halo = rawMessage({ body: "halo", notifyName: "Ibu Sari" });
    h.client().receive(halo);
    h.client().receive(halo);
    await h.adapter.settled();

    const stored = await database()
      .db.select()
      .from(inboundMessages)
      .where(eq(inboundMessages.externalId, halo.id._serialized));
    expect(stored).toHaveLength(1);

    const rows = await outboxOf(residentChat);
    expect(rows).toHaveLength(2);
    const identity = rows[0]!.identity;
    expect(identity).toMatchObject({
      externalId: residentChat,
      phone: "+6281234567890",
      displayName: "Ibu Sari",
    });
    const [contact] = await database()
      .db.select()
      .from(contacts)
      .where(eq(contacts.id, identity.contactId));
    expect(contact?.phone).toBe("+6281234567890");
    const consent = rows[1]!.outbox.payload as unknown as OutboundMessage;
    expect(consent.text).toContain("Apakah Anda setuju?");

    for (const row of rows) {
      const result = await h.adapter.send(
        row.identity.externalId,
        row.outbox.payload as unknown as OutboundMessage,
      );
      expect(result).toMatchObject({ kind: "sent" });
    }
    expect(h.client().sent).toHaveLength(2);
    expect(h.client().sent.every((sent) => sent.chatId === residentChat)).toBe(true);
    expect(h.client().sent[1]!.content).toBe(consent.text);
    expect(h.client().sent[1]!.content).toContain("SETUJU");
  });

  it("keeps a @lid sender's chat id as the address, with no phone", async () => {
    h.client().receive(
      rawMessage({
        from: { server: "lid", user: "103884527943872", _serialized: lidChat },
        body: "assalamualaikum",
        notifyName: "Pak Budi",
      }),
    );
    await h.adapter.settled();
    const rows = await outboxOf(lidChat);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]!.identity).toMatchObject({ externalId: lidChat, phone: null });
    const [contact] = await database()
      .db.select()
      .from(contacts)
      .where(eq(contacts.id, rows[0]!.identity.contactId));
    expect(contact?.phone).toBeNull();
  });

  it("stores a photo a resident sends", async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]);
    const photo = rawImage({ from: "6281399990000@c.us" });
    h.client().receive(photo, { mimetype: "image/jpeg", data: jpeg.toString("base64") });
    await h.adapter.settled();
    const [inbound] = await database()
      .db.select()
      .from(inboundMessages)
      .where(eq(inboundMessages.externalId, photo.id._serialized));
    expect(inbound).toMatchObject({
      kind: "photo",
      payload: { caption: "Jalan depan rumah rusak" },
    });
    const mediaId = (inbound!.payload as { mediaId: number }).mediaId;
    const [media] = await database().db.select().from(mediaFiles).where(eq(mediaFiles.id, mediaId));
    expect(media?.mimeType).toBe("image/jpeg");
    expect(Buffer.from(media!.bytes)).toEqual(jpeg);
  });

  it("never answers its own messages, groups or status updates", async () => {
    const before = await database().db.select().from(inboundMessages);
    h.client().receive(
      rawMessage({
        id: {
          fromMe: true,
          remote: residentChat,
          id: "3EB0OWN",
          _serialized: `true_${residentChat}_3EB0OWN`,
        },
      }),
    );
    h.client().receive(rawMessage({ from: "120363041234567890@g.us", author: residentChat }));
    h.client().receive(rawMessage({ from: "status@broadcast", isStatusV3: true }));
    await h.adapter.settled();
    expect(await database().db.select().from(inboundMessages)).toHaveLength(before.length);
  });

  it("classifies a send to an unknown chat as unreachable and a failure as retry", async () => {
    h.client().onSend = async () => undefined;
    expect(await h.adapter.send(residentChat, { text: "Halo" })).toEqual({
      kind: "unreachable",
      reason: "chat tidak dikenal",
    });
    h.client().onSend = async () => {
      throw new Error("Execution context was destroyed, most likely because of a navigation.");
    };
    expect(await h.adapter.send(residentChat, { text: "Halo" })).toMatchObject({
      kind: "retry",
      afterMs: 15_000,
    });
  });
});
