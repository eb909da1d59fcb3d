import { eq, isNull, sql } from "drizzle-orm";
import { Registry } from "prom-client";
import { expect, it } from "vitest";
import { registrationConversation } from "../../bench/residents.js";
import { channelIdentities, inboundMessages } from "../../src/db/schema/index.js";
import { rowsOf, textOf } from "../../src/db/sql-rows.js";
import type { ActionDefinition } from "../../src/domain/action.js";
import { actions } from "../../src/domain/actions.js";
import { createInboundPipeline } from "../../src/inbound/pipeline.js";
import { pipelineMetrics } from "../../src/inbound/pipeline-metrics.js";
import { createLogger } from "../../src/log.js";
import { coreForTests, simulatorText } from "../support/core.js";
import { describeEachDatabase } from "../support/database.js";
import { coreConfig, telegramNow } from "../telegram/support.js";

/** Registration up to the last question, "Daftar ke program ini?". */
const upToConfirmation = (phone: string) => registrationConversation(phone).slice(0, -1);

let sent = 0;
const message = (senderId: string, text: string) =>
  simulatorText(senderId, `shared-${++sent}`, text);

/**
 * Messages sent in the same moment share a transaction (src/inbound/batcher.ts); whatever they
 * share, each resident gets what they would get alone.
 */
describeEachDatabase("residents whose turns share a transaction", (database) => {
  const core = coreForTests(database);

  const say = async (senderId: string, text: string) =>
    (await core().pipeline.receive(message(senderId, text))).replies.map((reply) => reply.text);

  it("gives the last 2 seats to 2 of 6 residents confirming at the same moment, and waitlists 4", async () => {
    const residents = Array.from({ length: 6 }, (_, i) => `kursi-${i}`);
    await Promise.all(
      residents.map(async (resident, i) => {
        for (const text of upToConfirmation(`0812 7000 00${i}`)) await say(resident, text);
      }),
    );
    const { db } = core().database;
    await db.execute(sql`update programmes set capacity = seats_taken + 2`);

    const answers = await Promise.all(residents.map((resident) => say(resident, "ya")));

    const seated = answers.filter((replies) => replies.join("\n").includes("Pendaftaran berhasil"));
    const waiting = answers.filter((replies) => replies.join("\n").includes("daftar tunggu"));
    expect(seated).toHaveLength(2);
    expect(waiting).toHaveLength(4);
    const rows = rowsOf(
      await db.execute(sql`
        select r.status, r.waitlist_position as position
        from registrations r join channel_identities ci on ci.contact_id = r.contact_id
        where ci.external_id like 'kursi-%' order by r.waitlist_position nulls first`),
    );
    expect(rows.map((row) => [textOf(row.status), row.position])).toEqual([
      ["registered", null],
      ["registered", null],
      ["waitlisted", 1],
      ["waitlisted", 2],
      ["waitlisted", 3],
      ["waitlisted", 4],
    ]);
  });

  it("stores two messages of a new sender accepted at the same moment once each, under one contact", async () => {
    const accepted = await Promise.all([
      core().pipeline.accept(message("baru-dua-kali", "halo")),
      core().pipeline.accept(message("baru-dua-kali", "daftar")),
    ]);
    for (const result of accepted) {
      expect(result.status).toBe("stored");
      if (result.status === "stored") await result.processed;
    }
    const rows = rowsOf(
      await core().database.db.execute(sql`
        select count(distinct ci.id)::int as identities, count(distinct i.contact_id)::int as contacts,
          count(i.id)::int as messages, count(i.processed_at)::int as processed
        from channel_identities ci join inbound_messages i on i.identity_id = ci.id
        where ci.external_id = 'baru-dua-kali'`),
    );
    expect(rows).toEqual([{ identities: 1, contacts: 1, messages: 2, processed: 2 }]);
  });

  it("answers everyone else as usual when one resident's turn fails, and apologises to that one", async () => {
    const { db } = core().database;
    const status = actions["contact.status"] as ActionDefinition;
    /** contact.status as shipped, except that it fails for the resident "gagal". */
    const failingForOne: ActionDefinition = {
      ...status,
      async run(context, args) {
        const [identity] = await context.tx
          .select({ externalId: channelIdentities.externalId })
          .from(channelIdentities)
          .where(eq(channelIdentities.id, context.identityId));
        if (identity?.externalId === "gagal") throw new Error("a bug that hits one turn");
        return status.run(context, args);
      },
    };
    const config = coreConfig();
    const pipeline = createInboundPipeline({
      db,
      flows: core().flows,
      actions: { ...actions, "contact.status": failingForOne },
      organisationName: config.organisationName,
      idleTimeoutMs: config.conversationIdleTimeoutMs,
      offerTtlMs: config.offerTtlMs,
      floodLimit: config.floodLimit,
      concurrentTransactions: 1,
      clock: () => telegramNow,
      log: createLogger("silent"),
      metrics: pipelineMetrics(new Registry()),
    });
    const alone = (await pipeline.receive(message("sendiri", "halo"))).replies;
    expect(alone.length).toBeGreaterThan(0);

    const senders = ["warga-a", "warga-b", "gagal", "warga-c", "warga-d"];
    const turns = await Promise.all(
      senders.map((sender) => pipeline.receive(message(sender, "halo"))),
    );

    for (const [index, sender] of senders.entries()) {
      const texts = turns[index]?.replies.map((reply) => reply.text);
      if (sender === "gagal") expect(texts).toEqual([expect.stringContaining("gangguan")]);
      else expect(texts).toEqual(alone.map((reply) => reply.text));
    }
    const unprocessed = await db
      .select({ id: inboundMessages.id })
      .from(inboundMessages)
      .where(isNull(inboundMessages.processedAt));
    expect(unprocessed).toEqual([]);
  });
});
