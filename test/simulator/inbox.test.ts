import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { channelIdentities } from "../../src/db/schema/index.js";
import { enqueueMessage } from "../../src/domain/outbox.js";
import type { RunningBerdaya } from "../../src/server.js";
import { startConsoleServer } from "../support/console.js";
import { describeEachDatabase } from "../support/database.js";

interface Inbox {
  messages: { id: number; text: string }[];
}

describeEachDatabase("simulator inbox: messages that arrive outside a turn", (database) => {
  let berdaya: RunningBerdaya;
  beforeAll(async () => {
    berdaya = await startConsoleServer(database());
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  const inbox = async (from: string, after = 0) =>
    (await (
      await fetch(`${berdaya.url}/api/simulator/inbox?from=${from}&after=${after}`)
    ).json()) as Inbox;

  it("lists a staff message once it is sent, but not the turn's own replies", async () => {
    await fetch(`${berdaya.url}/api/simulator/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: "warga-inbox", text: "halo" }),
    });
    expect((await inbox("warga-inbox")).messages).toEqual([]);
    const [identity] = await database()
      .db.select({ contactId: channelIdentities.contactId })
      .from(channelIdentities)
      .where(eq(channelIdentities.externalId, "warga-inbox"));
    await enqueueMessage(database().db, {
      contactId: identity?.contactId ?? 0,
      priority: "reply",
      now: new Date(),
      text: "Halo Bu, saya petugas Dinas Sosial.",
    });
    // Delivery runs in the background: wait for the worker to send it.
    const { messages } = await vi.waitFor(async () => {
      const found = await inbox("warga-inbox");
      expect(found.messages).toHaveLength(1);
      return found;
    });
    expect(messages.map((m) => m.text)).toEqual(["Halo Bu, saya petugas Dinas Sosial."]);
    expect((await inbox("warga-inbox", messages[0]?.id)).messages).toEqual([]);
  });

  it("answers 400 naming the field for a bad resident id", async () => {
    const response = await fetch(
      `${berdaya.url}/api/simulator/inbox?from=${encodeURIComponent("<x>")}`,
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ field: "from" });
  });
});
