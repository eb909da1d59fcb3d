import { sql } from "drizzle-orm";
import { Registry } from "prom-client";
import { createSimulatorAdapter } from "../src/channels/simulator/adapter.js";
import type { Database } from "../src/db/client.js";
import { organisations } from "../src/db/schema/index.js";
import { seedAreas, seedDemo } from "../src/db/seed.js";
import { newWorkerId } from "../src/delivery/run.js";
import { createDeliveryWorker } from "../src/delivery/worker.js";
import { createBroadcast, sendBroadcast } from "../src/domain/broadcasts/index.js";
import { createLogger } from "../src/log.js";

export interface BroadcastFigures {
  residents: number;
  fanOutSeconds: number;
  drainPerSecond: number;
}

/**
 * Fans an announcement out to `residents` consented residents (one set-based insert), then
 * drains it through a channel that answers at once with pacing off, on a migrated database.
 */
export async function measureBroadcast(
  database: Database,
  residents: number,
): Promise<BroadcastFigures> {
  const { db } = database;
  await database.migrate();
  await seedAreas(db);
  const now = new Date();
  await seedDemo(db, now);
  const [organisation] = await db.select({ id: organisations.id }).from(organisations).limit(1);
  if (!organisation) throw new Error("no organisation");
  await db.execute(sql`
    with created as (
      insert into contacts (name, consented_at)
      select 'Warga ' || n, now() from generate_series(1, ${residents}) as n
      returning id
    )
    insert into channel_identities (contact_id, channel, external_id, last_inbound_at)
    select id, 'simulator', 'bench-' || id, now() from created`);
  const broadcastId = await createBroadcast(db, {
    organisationId: organisation.id,
    title: "Pembukaan pelatihan",
    text: "Halo {nama}, pendaftaran pelatihan menjahit dibuka. Ketik DAFTAR untuk mendaftar.",
    audience: {},
    now,
  });
  const fanOutStarted = performance.now();
  await sendBroadcast(db, { organisationId: organisation.id, broadcastId, now });
  const fanOutSeconds = (performance.now() - fanOutStarted) / 1000;

  const worker = createDeliveryWorker({
    db,
    adapters: new Map([["simulator", createSimulatorAdapter()]]),
    clock: () => new Date(),
    log: createLogger("silent"),
    registry: new Registry(),
    workerId: newWorkerId(),
    quietHours: null,
    batchSize: 200,
  });
  const drainStarted = performance.now();
  let sent = 0;
  for (let settled = await worker.drain(); settled > 0; settled = await worker.drain()) {
    sent += settled;
  }
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  await worker.stop();
  return { residents, fanOutSeconds, drainPerSecond: sent / drainSeconds };
}
