import { sql } from "drizzle-orm";
import { Counter, Gauge, type Registry } from "prom-client";
import type { ChannelName } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { numberOf, rowsOf, textOf } from "../db/sql-rows.js";

/** How a send ended, as counted: the adapter's answer, or `error` when the adapter threw. */
export type SendOutcome = "sent" | "retry" | "unreachable" | "invalid" | "error";

/** What delivery reports on /metrics. */
export interface DeliveryMetrics {
  send(channel: ChannelName, outcome: SendOutcome): void;
}

interface DueSnapshot {
  groups: { channel: string; priority: string; rows: number }[];
  oldestAgeSeconds: number;
}

/** A snapshot is shared by the two gauges of one scrape. */
const snapshotTtlMs = 1_000;

/**
 * Registers the delivery metrics on `registry` (once: a second worker in the same process
 * reuses them). The outbox gauges are read on scrape, with one grouped query over the due rows.
 */
export function deliveryMetrics(registry: Registry, db: Db, clock: () => Date): DeliveryMetrics {
  let snapshot: { at: number; value: Promise<DueSnapshot> } | undefined;
  const due = (): Promise<DueSnapshot> => {
    const now = Date.now();
    if (!snapshot || now - snapshot.at > snapshotTtlMs) {
      snapshot = { at: now, value: readDue(db, clock()) };
      snapshot.value.catch(() => {
        snapshot = undefined;
      });
    }
    return snapshot.value;
  };

  const existingSends = registry.getSingleMetric("berdaya_sends_total");
  const sends =
    existingSends instanceof Counter
      ? (existingSends as Counter<"channel" | "outcome">)
      : new Counter({
          name: "berdaya_sends_total",
          help: "Sends to a channel, by what the channel answered (error: the adapter threw).",
          labelNames: ["channel", "outcome"],
          registers: [registry],
        });
  if (!registry.getSingleMetric("berdaya_outbox_depth")) {
    new Gauge({
      name: "berdaya_outbox_depth",
      help: "Outbox rows that are due and not settled yet (pending or sending), by channel and priority (0 reply, 1 notice, 2 broadcast).",
      labelNames: ["channel", "priority"],
      registers: [registry],
      async collect() {
        const { groups } = await due();
        this.reset();
        for (const group of groups) {
          this.set({ channel: group.channel, priority: group.priority }, group.rows);
        }
      },
    });
  }
  if (!registry.getSingleMetric("berdaya_outbox_oldest_due_seconds")) {
    new Gauge({
      name: "berdaya_outbox_oldest_due_seconds",
      help: "How long the oldest due, unsettled outbox row has been due (0 when none is).",
      registers: [registry],
      async collect() {
        this.set((await due()).oldestAgeSeconds);
      },
    });
  }
  return { send: (channel, outcome) => sends.inc({ channel, outcome }) };
}

async function readDue(db: Db, now: Date): Promise<DueSnapshot> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const result = await db.execute(sql`
    select channel, priority, count(*) as rows,
      extract(epoch from (${at} - min(not_before))) as oldest_age
    from outbox_messages
    where status in ('pending', 'sending') and not_before <= ${at}
    group by channel, priority
  `);
  const rows = rowsOf(result);
  return {
    groups: rows.map((row) => ({
      channel: textOf(row.channel),
      priority: String(numberOf(row.priority)),
      rows: numberOf(row.rows),
    })),
    oldestAgeSeconds: Math.max(0, ...rows.map((row) => numberOf(row.oldest_age))),
  };
}
