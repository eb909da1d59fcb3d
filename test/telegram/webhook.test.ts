import { eq } from "drizzle-orm";
import { Router } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTelegramAdapter,
  type TelegramAdapter,
} from "../../src/channels/telegram/adapter.js";
import { webhookSecret } from "../../src/channels/telegram/webhook.js";
import { type Core, openCore } from "../../src/core.js";
import { inboundMessages } from "../../src/db/schema/index.js";
import { createLogger } from "../../src/log.js";
import { describeEachDatabase } from "../support/database.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { serve, type TestServer } from "../support/http.js";
import {
  acceptingReceiver,
  coreConfig,
  noDatabase,
  outboxFor,
  telegramNow,
  webhookAdapter,
} from "./support.js";
import { asUpdate, bigChatId, resident, textUpdate, watch } from "./updates.js";

const log = createLogger("silent");

describeEachDatabase("Telegram webhook with the real pipeline", (database) => {
  let fake: FakeTelegram;
  let core: Core;
  let adapter: TelegramAdapter;
  let server: TestServer;
  let receiver: ReturnType<typeof acceptingReceiver>;
  let watcher: ReturnType<typeof watch>;

  const storedWithId = async (updateId: number) =>
    database()
      .db.select({ id: inboundMessages.id })
      .from(inboundMessages)
      .where(eq(inboundMessages.externalId, String(updateId)));

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    core = await openCore(coreConfig(), log, { database: database(), clock: () => telegramNow });
    receiver = acceptingReceiver(core.pipeline);
    watcher = watch();
    ({ adapter, server } = await webhookAdapter({
      fake,
      db: database().db,
      observer: watcher.observer,
    }));
    await adapter.start(receiver.receive);
  });
  afterAll(async () => {
    await adapter?.stop();
    await server?.close();
    await core?.close();
    await fake?.close();
  });

  it("registers the webhook at PUBLIC_URL/telegram/webhook with a secret from the token", () => {
    expect(adapter.status()).toEqual({ state: "ready" });
    expect(fake.webhook).toEqual({
      url: `${server.url}/telegram/webhook`,
      secret: webhookSecret(fake.token),
      allowedUpdates: ["message", "callback_query", "my_chat_member"],
    });
    expect(fake.webhook?.secret).toMatch(/^[A-Za-z0-9_-]{48}$/);
    expect(fake.webhook?.secret).not.toContain(fake.token);
    const methods = fake.calls.map((call) => call.method);
    expect(methods).toEqual(["getMe", "setWebhook", "setMyCommands"]);
  });

  it("answers 401 to a wrong or missing secret and stores nothing", async () => {
    const update = asUpdate(textUpdate("halo"), 700_000_001);
    expect((await fake.postToWebhook(update, "salah")).status).toBe(401);
    const response = await fetch(`${server.url}/telegram/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(update),
    });
    expect(response.status).toBe(401);
    expect(await storedWithId(update.update_id)).toEqual([]);
  });

  it("answers 200 once stored; the turn runs and the consent question is queued", async () => {
    const update = asUpdate(textUpdate("halo"), 700_000_002);
    const response = await fake.postToWebhook(update);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect(await storedWithId(update.update_id)).toHaveLength(1);
    await receiver.turn(update.update_id);
    const outbox = await outboxFor(database().db, String(bigChatId));
    expect(outbox.at(-1)?.message.text).toContain("Apakah Anda setuju?");

    const again = await fake.postToWebhook(update);
    expect(again.status).toBe(200);
    expect(await outboxFor(database().db, String(bigChatId))).toHaveLength(outbox.length);
  });

  it("answers 400 to a body that is not an update", async () => {
    expect((await fake.postToWebhook({ hello: "world" })).status).toBe(400);
    expect((await fake.postToWebhook({ update_id: "7" })).status).toBe(400);
  });

  it("answers 503 when the update cannot be stored, so Telegram sends it again", async () => {
    receiver.failNext();
    const update = asUpdate(textUpdate("jadwal", { from: resident(555_000_111) }), 700_000_003);
    expect((await fake.postToWebhook(update)).status).toBe(503);
    expect(await storedWithId(update.update_id)).toEqual([]);
    expect((await watcher.handledUpdate(update.update_id)).outcome.kind).toBe("failed");
    expect((await fake.postToWebhook(update)).status).toBe(200);
    expect(await storedWithId(update.update_id)).toHaveLength(1);
    await receiver.turn(update.update_id);
  });
});

describe("Telegram webhook: answering at once", () => {
  let fake: FakeTelegram;
  let server: TestServer;
  let adapter: TelegramAdapter;
  const mount = Router();

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    server = await serve([mount]);
    adapter = createTelegramAdapter({
      token: fake.token,
      apiRoot: fake.apiRoot,
      mode: "webhook",
      publicUrl: server.url,
      db: noDatabase,
      log,
    });
    mount.use(adapter.webhookRoutes());
  });
  afterAll(async () => {
    await adapter?.stop();
    await server?.close();
    await fake?.close();
  });

  it("answers 503 before start and after stop, 200 before the turn has run", async () => {
    const secret = webhookSecret(fake.token);
    const post = (updateId: number) =>
      fetch(`${server.url}/telegram/webhook`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
        body: JSON.stringify(asUpdate(textUpdate("halo"), updateId)),
      });
    expect((await post(1)).status).toBe(503);

    let finishTurn: () => void = () => {};
    const turn = new Promise<void>((resolve) => {
      finishTurn = resolve;
    });
    let turnDone = false;
    void turn.then(() => {
      turnDone = true;
    });
    await adapter.start(async () => ({ status: "stored", processed: turn }));
    expect((await post(2)).status).toBe(200);
    expect(turnDone).toBe(false);
    finishTurn();

    await adapter.stop();
    expect(adapter.status()).toEqual({ state: "off" });
    expect((await post(3)).status).toBe(503);
  });
});
