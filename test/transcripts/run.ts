import { eq } from "drizzle-orm";
import type { InboundMessage } from "../../src/channels/contract.js";
import { simulatorInbox } from "../../src/channels/simulator/inbox.js";
import { loadConfig } from "../../src/config.js";
import { type Core, openCore } from "../../src/core.js";
import type { Database } from "../../src/db/client.js";
import { mediaFiles, programmes } from "../../src/db/schema/index.js";
import { createLogger, type Logger } from "../../src/log.js";
import { noEnvFile } from "../support/process.js";
import { contentOf, durationMs, parseTranscript, renderReplies } from "./transcript.js";

/** The clock every transcript starts at: Sabtu, 28 November 2026 pukul 10.00 WITA. */
export const transcriptEpoch = new Date("2026-11-28T02:00:00.000Z");

/**
 * Plays a transcript's messages through the real pipeline; returns the transcript regenerated.
 * The pipeline logs to `log` (silent by default).
 */
export async function playTranscript(
  source: string,
  database: Database,
  log: Logger = createLogger("silent"),
): Promise<string> {
  const config = loadConfig({ SEED_DEMO: "true", LOG_LEVEL: "silent" }, noEnvFile);
  let now = transcriptEpoch;
  const codes: string[] = [];
  const randomCode = () => {
    const code = codes.shift();
    if (code === undefined) throw new Error("a linking code was made: fix it first with @code");
    return code;
  };
  const open = () => openCore(config, log, { database, clock: () => now, randomCode });
  let core: Core = await open();
  let sender = { id: "warga-1", name: "Warga Satu" };
  let counter = 0;
  let last: InboundMessage | undefined;
  /** Per resident, the last outbox row @inbox has shown. */
  const lastInboxId = new Map<string, number>();
  const out: string[] = [];

  const message = async (text: string): Promise<InboundMessage> => {
    counter += 1;
    const content = contentOf(text);
    if (content.kind === "photo") {
      const [media] = await database.db
        .insert(mediaFiles)
        .values({ mimeType: "image/jpeg", bytes: new Uint8Array([0xff, 0xd8, 0xff]) })
        .returning({ id: mediaFiles.id });
      content.mediaId = media!.id;
    }
    return {
      channel: "simulator",
      externalId: `pesan-${counter}`,
      senderId: sender.id,
      displayName: sender.name,
      receivedAt: now,
      content,
    };
  };

  for (const line of parseTranscript(source)) {
    switch (line.type) {
      case "comment":
        out.push(line.text);
        break;
      case "clock":
        now = line.value.startsWith("+")
          ? new Date(now.getTime() + durationMs(line.value))
          : new Date(line.value);
        out.push(`@clock ${line.value}`);
        break;
      case "as":
        sender = { id: line.sender, name: line.name ?? line.sender };
        out.push(line.name ? `@as ${line.sender} ${line.name}` : `@as ${line.sender}`);
        break;
      case "capacity":
        await database.db
          .update(programmes)
          .set({ capacity: line.seats })
          .where(eq(programmes.code, line.code));
        out.push(`@capacity ${line.code} ${line.seats}`);
        break;
      case "code":
        codes.push(line.code);
        out.push(`@code ${line.code}`);
        break;
      case "inbox": {
        const rows = await simulatorInbox(database.db, {
          residentId: sender.id,
          afterId: lastInboxId.get(sender.id) ?? 0,
          delivered: false,
        });
        const last = rows.at(-1);
        if (last) lastInboxId.set(sender.id, last.id);
        const received = rows.map((row) => row.message);
        out.push("", "@inbox", ...(received.length > 0 ? renderReplies(received) : ["(kosong)"]));
        break;
      }
      case "restart":
        await core.close();
        core = await open();
        out.push("@restart");
        break;
      case "redeliver": {
        if (!last) throw new Error("@redeliver needs a message before it");
        const result = await core.pipeline.receive(last);
        out.push(
          "",
          "@redeliver",
          `(${result.status === "duplicate" ? "sudah diterima, tidak diproses lagi" : "DIPROSES LAGI"})`,
        );
        break;
      }
      case "burst": {
        const sent = await Promise.all(line.messages.map(message));
        const results = await Promise.all(sent.map((m) => core.pipeline.receive(m)));
        out.push("", "@burst", ...line.messages.map((text) => `> ${text}`));
        for (const result of results) out.push(...renderReplies(result.replies));
        last = sent.at(-1);
        break;
      }
      case "message": {
        last = await message(line.text);
        const result = await core.pipeline.receive(last);
        out.push("", `> ${line.text}`, ...renderReplies(result.replies));
        break;
      }
    }
  }
  await core.close();
  return `${out.join("\n").trim()}\n`;
}
