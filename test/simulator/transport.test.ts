import { once } from "node:events";
import { createServer } from "node:net";
import { Router } from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simulatorRoutes } from "../../src/channels/simulator/routes.js";
import {
  httpTransport,
  pipelineTransport,
  serverAnswers,
} from "../../src/channels/simulator/transport.js";
import { serve, type TestServer } from "../support/http.js";
import { freePort } from "../support/process.js";
import { FakePipeline } from "./fake-pipeline.js";

const pipeline = new FakePipeline();
let server: TestServer;

beforeAll(async () => {
  const health = Router().get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  server = await serve([health, simulatorRoutes(pipeline)]);
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => {
  pipeline.received.length = 0;
  pipeline.failWith = undefined;
  pipeline.replies = [{ text: "Halo!", choices: [{ id: "1", label: "Menu" }] }];
});

describe("httpTransport", () => {
  it("posts each line as the resident and returns the replies", async () => {
    const transport = httpTransport(server.url, { from: "terminal", name: "Pak Budi" });
    expect(await transport.send("halo")).toEqual([
      { text: "Halo!", choices: [{ id: "1", label: "Menu" }] },
    ]);
    await transport.close();
    expect(pipeline.received[0]).toMatchObject({
      channel: "simulator",
      senderId: "terminal",
      displayName: "Pak Budi",
      content: { kind: "text", text: "halo" },
    });
  });

  it("rejects naming the field when the server refuses the message", async () => {
    const transport = httpTransport(server.url, { from: "terminal" });
    await expect(transport.send("a".repeat(4097))).rejects.toThrow(
      "server menjawab 400 (text: expected at most 4096 characters)",
    );
  });

  it("rejects when the server fails", async () => {
    pipeline.failWith = new Error("boom");
    const transport = httpTransport(server.url, { from: "terminal" });
    await expect(transport.send("halo")).rejects.toThrow("server menjawab 500 (internal_error)");
  });

  it("says the server cannot be reached when nothing listens", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const transport = httpTransport(url, { from: "terminal" });
    await expect(transport.send("halo")).rejects.toThrow(
      `server Berdaya di ${url} tidak bisa dihubungi`,
    );
  });

  it("says the simulator is off when the server has no simulator route", async () => {
    const bare = await serve([]);
    try {
      const transport = httpTransport(bare.url, { from: "terminal" });
      await expect(transport.send("halo")).rejects.toThrow(/simulator tidak aktif/);
    } finally {
      await bare.close();
    }
  });
});

describe("pipelineTransport", () => {
  it("runs the line through the pipeline as a simulator message and closes its owner", async () => {
    let closed = false;
    const transport = pipelineTransport(
      {
        pipeline,
        close: async () => {
          closed = true;
        },
      },
      { from: "terminal" },
    );
    expect(await transport.send("halo")).toEqual(pipeline.replies);
    expect(pipeline.received[0]).toMatchObject({
      channel: "simulator",
      senderId: "terminal",
      content: { kind: "text", text: "halo" },
    });
    expect(pipeline.received[0]).not.toHaveProperty("displayName");
    await transport.close();
    expect(closed).toBe(true);
  });

  it("holds messages to the same limits as the HTTP API", async () => {
    const transport = pipelineTransport({ pipeline, close: async () => {} }, { from: "terminal" });
    await expect(transport.send("a".repeat(4097))).rejects.toThrow(
      "text: expected at most 4096 characters",
    );
    expect(pipeline.received).toHaveLength(0);
  });
});

describe("serverAnswers", () => {
  it("is true when a Berdaya server answers /healthz", async () => {
    expect(await serverAnswers(server.url)).toBe(true);
  });

  it("is false when nothing listens on the port", async () => {
    expect(await serverAnswers(`http://127.0.0.1:${await freePort()}`)).toBe(false);
  });

  it("is false when the server does not answer in time", async () => {
    const silent = createServer(() => {}).listen(0, "127.0.0.1");
    await once(silent, "listening");
    try {
      const { port } = silent.address() as { port: number };
      expect(await serverAnswers(`http://127.0.0.1:${port}`, 50)).toBe(false);
    } finally {
      silent.close();
    }
  });

  it("is false when something else answers", async () => {
    const other = await serve([]);
    try {
      expect(await serverAnswers(other.url)).toBe(false);
    } finally {
      await other.close();
    }
  });
});
