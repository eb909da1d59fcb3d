import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simulatorRoutes } from "../../src/channels/simulator/routes.js";
import { serve, type TestServer } from "../support/http.js";
import { FakePipeline } from "./fake-pipeline.js";

const pipeline = new FakePipeline();
let server: TestServer;

beforeAll(async () => {
  server = await serve([simulatorRoutes(pipeline)]);
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => {
  pipeline.received.length = 0;
  pipeline.replies = [];
  pipeline.failWith = undefined;
});

function post(body: unknown, contentType = "application/json") {
  return fetch(`${server.url}/api/simulator/messages`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("POST /api/simulator/messages", () => {
  it("runs the message through the pipeline and answers with its replies, in order", async () => {
    pipeline.replies = [
      { text: "Halo! Selamat datang di Berdaya." },
      {
        text: "Pilih:\n1. Daftar pelatihan\n2. Jadwal",
        choices: [
          { id: "1", label: "Daftar pelatihan" },
          { id: "2", label: "Jadwal" },
        ],
        requestPhone: true,
      },
      { text: "Tanpa pilihan", choices: [] },
    ];
    const before = Date.now();
    const response = await post({ from: "warga-1", text: "halo", name: "Ibu Sari" });

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({
      replies: [
        { text: "Halo! Selamat datang di Berdaya." },
        {
          text: "Pilih:\n1. Daftar pelatihan\n2. Jadwal",
          choices: [
            { id: "1", label: "Daftar pelatihan" },
            { id: "2", label: "Jadwal" },
          ],
        },
        { text: "Tanpa pilihan" },
      ],
    });
    expect(pipeline.received).toHaveLength(1);
    const [message] = pipeline.received;
    expect(message).toMatchObject({
      channel: "simulator",
      senderId: "warga-1",
      displayName: "Ibu Sari",
      content: { kind: "text", text: "halo" },
    });
    expect(message!.externalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(message!.receivedAt).toBeInstanceOf(Date);
    expect(message!.receivedAt.getTime()).toBeGreaterThanOrEqual(before - 1);
  });

  it("gives every message without an id a new external id", async () => {
    await post({ from: "warga-1", text: "satu" });
    await post({ from: "warga-1", text: "dua" });
    const [first, second] = pipeline.received;
    expect(first!.externalId).not.toBe(second!.externalId);
    expect(first).not.toHaveProperty("displayName");
  });

  it("passes a given id through as the external id, so a redelivery is recognised", async () => {
    await post({ from: "warga-1", text: "halo", id: "pesan-42" });
    await post({ from: "warga-1", text: "halo", id: "pesan-42" });
    expect(pipeline.received.map((message) => message.externalId)).toEqual([
      "pesan-42",
      "pesan-42",
    ]);
  });

  it("accepts every id character the channel allows and keeps the text exactly", async () => {
    const response = await post({ from: "628123456789@c.us", text: "  iyaaa\nmau ikut  " });
    expect(response.status).toBe(200);
    expect(pipeline.received[0]).toMatchObject({
      senderId: "628123456789@c.us",
      content: { kind: "text", text: "  iyaaa\nmau ikut  " },
    });
  });

  const invalid: [string, unknown, string][] = [
    ["from is missing", { text: "halo" }, "from"],
    ["from is empty", { from: "", text: "halo" }, "from"],
    ["from has a space", { from: "warga 1", text: "halo" }, "from"],
    ["from is too long", { from: "w".repeat(65), text: "halo" }, "from"],
    ["from is a number", { from: 12, text: "halo" }, "from"],
    ["text is missing", { from: "warga-1" }, "text"],
    ["text is empty", { from: "warga-1", text: "" }, "text"],
    ["text is only spaces", { from: "warga-1", text: "  \n " }, "text"],
    ["text is too long", { from: "warga-1", text: "a".repeat(4097) }, "text"],
    ["text is a number", { from: "warga-1", text: 1 }, "text"],
    ["text is null", { from: "warga-1", text: null }, "text"],
    ["name is too long", { from: "warga-1", text: "halo", name: "n".repeat(101) }, "name"],
    ["name is not a string", { from: "warga-1", text: "halo", name: ["Sari"] }, "name"],
    ["id is empty", { from: "warga-1", text: "halo", id: "" }, "id"],
    ["id is too long", { from: "warga-1", text: "halo", id: "i".repeat(101) }, "id"],
    ["id is a number", { from: "warga-1", text: "halo", id: 7 }, "id"],
    ["the body is an array", [{ from: "warga-1", text: "halo" }], "body"],
  ];
  it.each(invalid)("answers 400 naming the field when %s", async (_case, body, field) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { message: string };
    expect(answer).toEqual({ error: "invalid_body", field, message: expect.any(String) });
    expect(answer.message.length).toBeGreaterThan(0);
    expect(pipeline.received).toHaveLength(0);
  });

  it("says what is wrong in the message", async () => {
    const missing = (await (await post({ text: "halo" })).json()) as { message: string };
    expect(missing.message).toBe("required");
    const long = (await (await post({ from: "warga-1", text: "a".repeat(4097) })).json()) as {
      message: string;
    };
    expect(long.message).toBe("expected at most 4096 characters");
  });

  it("accepts text of exactly 4096 characters", async () => {
    const response = await post({ from: "warga-1", text: "a".repeat(4096) });
    expect(response.status).toBe(200);
  });

  it("answers 400 to a body that is not JSON", async () => {
    const broken = await post("{from: warga-1", "application/json");
    expect(broken.status).toBe(400);
    expect(await broken.json()).toHaveProperty("error");

    const plain = await post("halo", "text/plain");
    expect(plain.status).toBe(400);
    expect(await plain.json()).toMatchObject({ error: "invalid_body", field: "body" });
    expect(pipeline.received).toHaveLength(0);
  });

  it("answers 500 without details when the pipeline fails", async () => {
    pipeline.failWith = new Error("database exploded at /var/lib/secret");
    const response = await post({ from: "warga-1", text: "halo" });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "internal_error" });
  });

  it("answers 500, not the error's own status, whatever the pipeline throws", async () => {
    pipeline.failWith = Object.assign(new Error("not found"), { status: 404 });
    const response = await post({ from: "warga-1", text: "halo" });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "internal_error" });
  });
});

describe("the web chat", () => {
  it("serves an Indonesian HTML page that loads app.js and style.css, without inline code", async () => {
    const response = await fetch(`${server.url}/simulator`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html; charset=utf-8/);
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<html lang="id">');
    expect(html).toContain('<script src="/simulator/app.js" defer></script>');
    expect(html).toContain('<link rel="stylesheet" href="/simulator/style.css">');
    // Every <script> has a src and no body; no style elements or attributes, no handlers.
    for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      expect(match[1]).toMatch(/\bsrc=/);
      expect(match[2]).toBe("");
    }
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    expect(html).not.toContain("javascript:");
  });

  it("labels the resident and message fields and makes the conversation a live region", async () => {
    const html = await (await fetch(`${server.url}/simulator`)).text();
    for (const id of ["resident-id", "resident-name", "resident-list", "message"]) {
      expect(html).toContain(`<label for="${id}"`);
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toMatch(/id="resident-id"[^>]*value="warga-1"/);
    expect(html).toMatch(/<ol id="conversation"[^>]*role="log"[^>]*aria-live="polite"/);
    expect(html).toContain(">Warga baru</button>");
    expect(html).toContain(">Kirim</button>");
  });

  it("serves app.js as JavaScript and style.css as CSS", async () => {
    const script = await fetch(`${server.url}/simulator/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript; charset=utf-8/);
    const code = await script.text();
    expect(code).toContain("/api/simulator/messages");
    expect(code).toContain("sessionStorage");
    expect(code).toContain("Gagal mengirim, coba lagi");
    // Untrusted text goes in with textContent only.
    expect(code).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);

    const style = await fetch(`${server.url}/simulator/style.css`);
    expect(style.status).toBe(200);
    expect(style.headers.get("content-type")).toMatch(/^text\/css; charset=utf-8/);
    expect(await style.text()).toContain("white-space: pre-wrap");
  });
});
