import { describe, expect, it } from "vitest";
import type { OutboundMessage } from "../../src/channels/contract.js";
import { formatReply, runChatLoop } from "../../src/channels/simulator/chat-loop.js";
import type { ChatTransport } from "../../src/channels/simulator/transport.js";

async function* linesOf(...lines: string[]): AsyncIterable<string> {
  for (const line of lines) yield line;
}

/** Answers each text with the canned replies for it; records the order texts arrived in. */
function fakeTransport(answers: Record<string, OutboundMessage[] | Error>) {
  const sent: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const transport: ChatTransport = {
    async send(text) {
      sent.push(text);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await Promise.resolve();
      inFlight -= 1;
      const answer = answers[text] ?? [];
      if (answer instanceof Error) throw answer;
      return answer;
    },
    async close() {},
  };
  return { transport, sent, maxInFlight: () => maxInFlight };
}

function run(lines: AsyncIterable<string>, transport: ChatTransport, interactive = false) {
  let out = "";
  let err = "";
  let prompts = 0;
  const result = runChatLoop({
    lines,
    transport,
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    interactive,
    prompt: () => {
      prompts += 1;
      out += "Anda: ";
    },
  });
  return result.then((counts) => ({ ...counts, out, err, prompts }));
}

describe("formatReply", () => {
  it("prefixes the first line and indents the others under it", () => {
    expect(formatReply({ text: "Pilih:\n1. Menjahit\n\n2. Jadwal" })).toBe(
      "Berdaya: Pilih:\n         1. Menjahit\n\n         2. Jadwal",
    );
  });

  it("prints the text only, not the choices a second time", () => {
    const reply = {
      text: "Mau ikut?\n1. Ya\n2. Tidak",
      choices: [
        { id: "1", label: "Ya" },
        { id: "2", label: "Tidak" },
      ],
    };
    expect(formatReply(reply)).toBe("Berdaya: Mau ikut?\n         1. Ya\n         2. Tidak");
  });
});

describe("runChatLoop with piped input", () => {
  it("sends the lines one after the other, in order, echoing each with its replies", async () => {
    const { transport, sent, maxInFlight } = fakeTransport({
      halo: [{ text: "Halo! Selamat datang." }, { text: "Setuju?\n1. Ya\n2. Tidak" }],
      setuju: [{ text: "✅ Terima kasih." }],
    });
    const result = await run(linesOf("halo", "", "   ", "setuju\r", "menu"), transport);

    expect(sent).toEqual(["halo", "setuju", "menu"]);
    expect(maxInFlight()).toBe(1);
    expect(result.out).toBe(
      [
        "Anda: halo",
        "Berdaya: Halo! Selamat datang.",
        "Berdaya: Setuju?",
        "         1. Ya",
        "         2. Tidak",
        "",
        "Anda: setuju",
        "Berdaya: ✅ Terima kasih.",
        "",
        "Anda: menu",
        "(tidak ada balasan)",
        "",
        "",
      ].join("\n"),
    );
    expect(result).toMatchObject({ sent: 3, failed: 0, err: "", prompts: 0 });
  });

  it("ends at the end of input, having sent nothing for empty input", async () => {
    const { transport, sent } = fakeTransport({});
    const result = await run(linesOf(), transport);
    expect(sent).toEqual([]);
    expect(result).toMatchObject({ sent: 0, failed: 0, out: "", err: "" });
  });

  it("stops at the first failed send and says so on standard error", async () => {
    const { transport, sent } = fakeTransport({ dua: new Error("server menjawab 500") });
    const result = await run(linesOf("satu", "dua", "tiga"), transport);
    expect(sent).toEqual(["satu", "dua"]);
    expect(result).toMatchObject({ sent: 1, failed: 1 });
    expect(result.err).toBe("Gagal mengirim, coba lagi: server menjawab 500\n");
    expect(result.out).toContain("Anda: dua\n");
    expect(result.out).not.toContain("tiga");
  });
});

describe("runChatLoop in a terminal", () => {
  it("prompts before each line, does not echo it, and keeps going after a failure", async () => {
    const { transport, sent } = fakeTransport({
      halo: [{ text: "Halo!" }],
      dua: new Error("timeout"),
    });
    const result = await run(linesOf("halo", "dua", "tiga"), transport, true);
    expect(sent).toEqual(["halo", "dua", "tiga"]);
    expect(result.out).toBe("Anda: Berdaya: Halo!\n\nAnda: Anda: (tidak ada balasan)\n\nAnda: ");
    expect(result).toMatchObject({ sent: 2, failed: 1, prompts: 4 });
    expect(result.err).toBe("Gagal mengirim, coba lagi: timeout\n");
  });
});
