import { describe, expect, it } from "vitest";
import { createWhatsAppAdapter } from "../../src/channels/whatsapp/adapter.js";
import { type SendOptions, sendText } from "../../src/channels/whatsapp/send.js";
import { splitText } from "../../src/channels/whatsapp/split-text.js";
import type { Db } from "../../src/db/client.js";
import { createLogger } from "../../src/log.js";
import { FakeClient, residentChat } from "./fake-client.js";
import { ManualTimers } from "./manual-timers.js";

const timers = new ManualTimers();
const options: SendOptions = {
  maxTextLength: 4000,
  timers,
  timeoutMs: 20_000,
  isReady: () => true,
  notReadyRetryMs: 30_000,
  errorRetryMs: 15_000,
};

describe("splitText", () => {
  it("keeps a short text whole and splits a long one on paragraphs", () => {
    expect(splitText("Halo", 10)).toEqual(["Halo"]);
    const text = ["a".repeat(6), "b".repeat(6), "c".repeat(3)].join("\n\n");
    expect(splitText(text, 11)).toEqual(["aaaaaa", "bbbbbb\n\nccc"]);
  });

  it("falls back to lines, then words, then cuts a word longer than a part", () => {
    expect(splitText("satu dua\ntiga empat", 9)).toEqual(["satu dua", "tiga", "empat"]);
    expect(splitText("x".repeat(25), 10)).toEqual(["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
    for (const part of splitText(`${"kata ".repeat(2000)}\n\n${"baris\n".repeat(900)}`, 4000)) {
      expect(part.length).toBeLessThanOrEqual(4000);
    }
  });
});

describe("sendText", () => {
  it("sends numbered text only, ignoring choices and requestPhone", async () => {
    const client = new FakeClient();
    const result = await sendText(
      client,
      residentChat,
      {
        text: "Apakah Anda setuju?\n\nKetik SETUJU atau TIDAK.",
        choices: [
          { id: "ya", label: "Ya" },
          { id: "tidak", label: "Tidak" },
        ],
        requestPhone: true,
      },
      options,
    );
    expect(result).toEqual({ kind: "sent", platformMessageId: `true_${residentChat}_3EB0SENT1` });
    expect(client.sent).toEqual([
      { chatId: residentChat, content: "Apakah Anda setuju?\n\nKetik SETUJU atau TIDAK." },
    ]);
  });

  it("sends a text over 4000 characters in parts, in order", async () => {
    const client = new FakeClient();
    const first = "a".repeat(3000);
    const second = "b".repeat(3000);
    const result = await sendText(client, residentChat, { text: `${first}\n\n${second}` }, options);
    expect(result.kind).toBe("sent");
    expect(client.sent.map((sent) => sent.content)).toEqual([first, second]);
  });

  it("classifies what went wrong", async () => {
    const client = new FakeClient();
    client.onSend = async () => undefined;
    expect(await sendText(client, residentChat, { text: "Halo" }, options)).toEqual({
      kind: "unreachable",
      reason: "chat tidak dikenal",
    });

    client.onSend = async () => {
      throw new Error("Evaluation failed: Error: wid error: invalid wid");
    };
    expect(await sendText(client, residentChat, { text: "Halo" }, options)).toEqual({
      kind: "unreachable",
      reason: "bukan nomor WhatsApp",
    });

    client.onSend = async () => {
      throw new Error("Protocol error (Runtime.callFunctionOn): Target closed 6281234567890");
    };
    const retry = await sendText(client, residentChat, { text: "Halo" }, options);
    expect(retry).toMatchObject({ kind: "retry", afterMs: 15_000 });
    expect(JSON.stringify(retry)).not.toContain("6281234567890");

    const notReady = await sendText(
      client,
      residentChat,
      { text: "Halo" },
      { ...options, isReady: () => false },
    );
    expect(notReady).toEqual({
      kind: "retry",
      afterMs: 30_000,
      reason: "WhatsApp belum tersambung",
    });

    expect(await sendText(client, residentChat, { text: "  " }, options)).toEqual({
      kind: "invalid",
      reason: "pesan kosong",
    });
  });

  it("gives up a send the browser never answers, so delivery goes on after a reconnect", async () => {
    const client = new FakeClient();
    client.onSend = () => new Promise(() => {});
    let ready = true;
    const result = sendText(
      client,
      residentChat,
      { text: "Halo" },
      { ...options, isReady: () => ready },
    );
    await timers.timeoutOf(20_000);
    ready = false;
    timers.runTimeouts(20_000);
    expect(await result).toEqual({
      kind: "retry",
      afterMs: 30_000,
      reason: "WhatsApp belum tersambung",
    });
  });
});

describe("WhatsApp adapter before it is connected", () => {
  const adapter = createWhatsAppAdapter({
    db: {} as Db,
    log: createLogger("silent"),
    clock: () => new Date(),
    dataDir: "/tmp/berdaya-test",
    chromiumPath: "/usr/bin/chromium",
    holderId: "test",
    createClient: () => new FakeClient(),
    limits: { minGapMs: 5000, dailyCap: null },
  });

  it("declares its capabilities", () => {
    expect(adapter.channel).toBe("whatsapp");
    expect(adapter.capabilities).toEqual({
      buttons: false,
      maxTextLength: 4000,
      limits: { perSecond: 1, perChatGapMs: 1000, minGapMs: 5000, jitterMs: 2000, dailyCap: null },
    });
    expect(adapter.status()).toEqual({ state: "off" });
  });

  it("answers retry while not ready and invalid for an address that is not a personal chat", async () => {
    expect(await adapter.send(residentChat, { text: "Halo" })).toEqual({
      kind: "retry",
      afterMs: 30_000,
      reason: "WhatsApp belum tersambung",
    });
    expect(await adapter.send("120363041234567890@g.us", { text: "Halo" })).toEqual({
      kind: "invalid",
      reason: "alamat WhatsApp tidak valid",
    });
  });
});
