import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Router } from "express";
import { afterAll, describe, expect, it } from "vitest";
import { simulatorRoutes } from "../../src/channels/simulator/routes.js";
import { serve } from "../support/http.js";
import { freePort, runScript } from "../support/process.js";
import { FakePipeline } from "./fake-pipeline.js";

describe("npm run chat", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "berdaya-chat-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("chats with Berdaya in-process on the embedded database, from piped input", async () => {
    // A port nobody listens on: no running server is found, so the chat opens the core itself.
    const chat = runScript("src/cli/chat.ts", {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
    });
    chat.child.stdin?.end("halo\n");
    expect(await chat.exited).toBe(0);
    expect(chat.stderr()).toBe("");
    expect(chat.stdout()).toContain("Anda: halo\n");
    expect(chat.stdout()).toMatch(/^Berdaya: \S/m);
  }, 90_000);

  it("talks to the Berdaya server already running on PORT instead of opening the database", async () => {
    const pipeline = new FakePipeline();
    pipeline.replies = [{ text: "Halo dari server!\n1. Menu" }];
    const health = Router().get("/healthz", (_req, res) => {
      res.json({ status: "ok" });
    });
    const server = await serve([health, simulatorRoutes(pipeline)]);
    try {
      const chat = runScript("src/cli/chat.ts", {
        // Opening the embedded database would create this folder.
        DATA_DIR: join(dataDir, "must-stay-unopened"),
        PORT: new URL(server.url).port,
      });
      chat.child.stdin?.end("halo\nmenu\n");
      expect(await chat.exited).toBe(0);
      expect(chat.stdout()).toBe(
        "Anda: halo\nBerdaya: Halo dari server!\n         1. Menu\n\n" +
          "Anda: menu\nBerdaya: Halo dari server!\n         1. Menu\n\n",
      );
      expect(pipeline.received.map((message) => message.senderId)).toEqual([
        "terminal",
        "terminal",
      ]);
      expect(existsSync(join(dataDir, "must-stay-unopened"))).toBe(false);
    } finally {
      await server.close();
    }
  });
});
