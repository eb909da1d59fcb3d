import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { inboundMessages } from "../../src/db/schema/index.js";
import type { RunningBerdaya } from "../../src/server.js";
import { describeEachDatabase } from "../support/database.js";
import { startTestServer } from "../support/server.js";
import type { RawMessage } from "../whatsapp/fake-client.js";
import {
  goldenTurns,
  type RecordingClient,
  recordingClients,
  registrationsOf,
  type Turn,
  textsOf,
  transcriptClock,
  WhatsAppResident,
} from "./support.js";

/**
 * A resident registers for a training over WhatsApp, through everything `npm start` runs, with
 * a fake whatsapp-web.js client (real `Message` objects) in place of Chromium: startBerdaya
 * takes the session lease, the client pairs (qr → authenticated → ready), messages go through
 * the pipeline and the delivery worker sends each reply with client.sendMessage.
 *
 * The conversation is golden transcript 03 with the one difference WhatsApp makes: the phone
 * number is known from the chat id, so the profile does not ask it (the two phone turns are
 * left out, the summary follows the groups and reads "Nomor HP: nomor WhatsApp ini").
 */
const chatId = "6281234567890@c.us";

function whatsappTurns(): Turn[] {
  const golden = goldenTurns("03-daftar-menjahit-dengan-profil.txt");
  const groups = golden.findIndex((turn) => turn.says === "ibu rumah tangga dan prasejahtera");
  const landline = golden[groups + 1];
  const mobile = golden[groups + 2];
  if (landline?.says !== "0542 123456" || mobile?.says !== "0812-3456-7890") {
    throw new Error("transcript 03 changed: the phone turns are not where expected");
  }
  const summary = mobile.replies.map((reply) => ({
    ...reply,
    text: reply.text.replace("Nomor HP: +6281234567890", "Nomor HP: nomor WhatsApp ini"),
  }));
  return [
    ...golden.slice(0, groups),
    { says: golden[groups]?.says ?? "", replies: summary },
    ...golden.slice(groups + 3),
  ];
}

/** Resolves with the first text written to stdout that contains `text` (and hides stdout until then). */
function stdoutShows(text: string): Promise<string> {
  return new Promise((resolve) => {
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
      const written = String(chunk);
      if (written.includes(text)) {
        spy.mockRestore();
        resolve(written);
      }
      return true;
    });
  });
}

describeEachDatabase("a WhatsApp resident, end to end", (database) => {
  const clock = transcriptClock();
  const turns = whatsappTurns();
  const clients = recordingClients();
  let client: RecordingClient;
  let berdaya: RunningBerdaya;
  let resident: WhatsAppResident;
  let last: RawMessage | undefined;

  async function readiness(): Promise<unknown> {
    const response = await fetch(`${berdaya.url}/readyz`);
    return ((await response.json()) as { checks: Record<string, unknown> }).checks.whatsapp;
  }

  beforeAll(async () => {
    berdaya = await startTestServer(
      {
        WHATSAPP_ENABLED: "true",
        // The pacing between any two WhatsApp sends; the adapter still keeps 1 s per chat.
        WHATSAPP_MIN_GAP: "0s",
        WHATSAPP_JITTER: "0s",
        SEED_DEMO: "true",
      },
      {
        database: database(),
        clock,
        whatsappClient: clients.factory,
      },
    );
    client = await clients.first;
    resident = new WhatsAppResident(() => client, chatId, clock);
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  it("pairs: the QR code is shown, then the session is ready", async () => {
    expect(client.initialized).toBe(1);
    const shown = stdoutShows("pindai kode QR");
    client.emit("qr", "2@e2e-qr-code,abc,def");
    expect(await shown).toContain("/whatsapp/pairing");
    expect(await readiness()).toEqual({ ok: true, detail: "qr" });
    client.emit("authenticated");
    client.emit("ready");
    expect(await readiness()).toEqual({ ok: true, detail: "ready" });
  });

  it("holds the whole registration, every reply delivered in order by sendMessage", async () => {
    for (const turn of turns) {
      last = resident.types(turn.says);
      expect(await resident.replies(turn.replies.length), `replies to "${turn.says}"`).toEqual(
        textsOf(turn.replies),
      );
    }
    expect(await registrationsOf(database().db, "whatsapp", chatId)).toEqual([
      {
        status: "registered",
        programme: "MJH01",
        name: "Siti Aminah",
        phone: "+6281234567890",
      },
    ]);
    expect(clients.clients).toHaveLength(1);
  }, 120_000);

  it("does not answer a message event that comes again", async () => {
    if (!last) throw new Error("the conversation did not run");
    client.receive(last);
    resident.types("menu");
    // One chat's messages are handled in order: a reply to the repeated one would come first.
    expect(await resident.replies(1)).toEqual([turns[1]?.replies[1]?.text]);
    const stored = await database()
      .db.select({ id: inboundMessages.id })
      .from(inboundMessages)
      .where(
        and(
          eq(inboundMessages.channel, "whatsapp"),
          eq(inboundMessages.externalId, last.id._serialized),
        ),
      );
    expect(stored).toHaveLength(1);
  }, 30_000);
});
