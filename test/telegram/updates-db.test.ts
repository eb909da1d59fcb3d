import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { InboundMessage } from "../../src/channels/contract.js";
import {
  createTelegramAdapter,
  type TelegramAdapter,
} from "../../src/channels/telegram/adapter.js";
import { channelIdentities, mediaFiles } from "../../src/db/schema/index.js";
import { ensureIdentity } from "../../src/domain/contacts.js";
import { describeEachDatabase } from "../support/database.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { capturedLog, telegramNow } from "./support.js";
import { bigChatId, memberUpdate, messageUpdate, resident, textUpdate, watch } from "./updates.js";

const chat = String(bigChatId);

describeEachDatabase("Telegram updates that touch the database", (database) => {
  let fake: FakeTelegram;
  let adapter: TelegramAdapter;
  let watcher: ReturnType<typeof watch>;
  const received: InboundMessage[] = [];
  const logs = capturedLog();

  /** Pushes an update and waits until the adapter handled it. */
  async function deliver(input: Parameters<FakeTelegram["pushUpdate"]>[0]) {
    const update = fake.pushUpdate(input);
    return (await watcher.handledUpdate(update.update_id)).outcome;
  }

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    watcher = watch();
    adapter = createTelegramAdapter({
      token: fake.token,
      apiRoot: fake.apiRoot,
      mode: "polling",
      db: database().db,
      log: logs.log,
      clock: () => telegramNow,
      maxPhotoBytes: 100_000,
      retryDelayMs: () => 0,
      observer: watcher.observer,
    });
    await adapter.start(async (message) => {
      received.push(message);
    });
  });
  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
  });

  it("downloads the largest photo size under the cap and stores it as media", async () => {
    const medium = randomBytes(60_000);
    fake.addFile("medium-id", medium);
    const outcome = await deliver(
      messageUpdate({
        caption: "Atap rumah bocor",
        photo: [
          { file_id: "small-id", file_unique_id: "s", width: 90, height: 90, file_size: 2_000 },
          {
            file_id: "medium-id",
            file_unique_id: "m",
            width: 800,
            height: 600,
            file_size: 60_000,
          },
          { file_id: "big-id", file_unique_id: "b", width: 2560, height: 1920, file_size: 400_000 },
        ],
      }),
    );
    expect(outcome).toEqual({ kind: "received" });
    expect((await fake.nextCall("getFile")).payload).toEqual({ file_id: "medium-id" });
    const content = received.at(-1)?.content;
    expect(content).toMatchObject({ kind: "photo", caption: "Atap rumah bocor" });
    if (content?.kind !== "photo") throw new Error("expected a photo");
    const [stored] = await database()
      .db.select()
      .from(mediaFiles)
      .where(eq(mediaFiles.id, content.mediaId));
    expect(stored?.mimeType).toBe("image/jpeg");
    expect(Buffer.from(stored!.bytes).equals(medium)).toBe(true);
  });

  it("refuses a photo whose file turns out larger than the cap", async () => {
    fake.addFile("liar-id", randomBytes(150_000));
    await deliver(
      messageUpdate({
        photo: [{ file_id: "liar-id", file_unique_id: "l", width: 9, height: 9, file_size: 900 }],
      }),
    );
    expect(received.at(-1)?.content).toEqual({ kind: "other", description: "photo_too_large" });
  });

  it("marks the chat unreachable when the resident blocks the bot, and clears it after", async () => {
    await ensureIdentity(database().db, {
      channel: "telegram",
      externalId: chat,
      now: telegramNow,
    });
    const identity = () =>
      database()
        .db.select({ unreachableAt: channelIdentities.unreachableAt })
        .from(channelIdentities)
        .where(
          and(eq(channelIdentities.channel, "telegram"), eq(channelIdentities.externalId, chat)),
        )
        .then((rows) => rows[0]);

    expect(await deliver(memberUpdate("kicked"))).toEqual({
      kind: "reachability",
      reachable: false,
    });
    expect((await identity())?.unreachableAt).toEqual(telegramNow);
    expect(await deliver(memberUpdate("member"))).toEqual({
      kind: "reachability",
      reachable: true,
    });
    expect((await identity())?.unreachableAt).toBeNull();
  });

  it("stays quiet in groups: nothing received, nothing sent", async () => {
    const count = received.length;
    const group = { id: -1002000000001, type: "supergroup" as const, title: "Warga RT 05" };
    expect(await deliver(textUpdate("/start", { chat: group }))).toEqual({
      kind: "ignored",
      reason: "not_private",
    });
    expect(received).toHaveLength(count);
    expect(fake.sent).toEqual([]);
  });

  it("logs no message text, name, phone number or token", async () => {
    await deliver(
      messageUpdate({
        contact: { phone_number: "6281234567890", first_name: "Siti", user_id: bigChatId },
      }),
    );
    await deliver(
      textUpdate("rahasia pribadi", { from: resident(bigChatId, { first_name: "Zul" }) }),
    );
    const text = logs.text();
    expect(text).toContain("telegram update handled");
    for (const secret of ["6281234567890", "Siti", "Zul", "rahasia", "Atap", fake.token]) {
      expect(text).not.toContain(secret);
    }
  });
});
