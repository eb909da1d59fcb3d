import { sql } from "drizzle-orm";
import type { ChannelLimits } from "../../channels/adapter.js";
import type { ChannelName } from "../../channels/contract.js";
import type { Db } from "../../db/client.js";
import { channelNames } from "../../db/schema/index.js";
import { numberOf, rowsOf } from "../../db/sql-rows.js";
import { countNonRepliesSent } from "../../delivery/claim.js";
import { witaDayBounds } from "../../delivery/quiet-hours.js";
import { checkAudience, recipientsQuery } from "./audience.js";
import { estimateDuration } from "./estimate.js";
import { channelOf, displayName } from "./rows.js";

export interface PreviewRequest {
  organisationId: number;
  /** Checked here (see `checkAudience`): a ZodError or BroadcastInputError when unusable. */
  audience: unknown;
  now: Date;
  /** The pacing each channel declares (`adapter.capabilities.limits`); absent = not running. */
  limits: Partial<Record<ChannelName, ChannelLimits>>;
}

export interface BroadcastPreview {
  count: number;
  byChannel: Record<ChannelName, number>;
  /**
   * Up to 5 recipients, by contact id; "Warga" when the name is unknown, `kelurahan` the name of
   * their kelurahan (null when unknown). No phone numbers.
   */
  sample: { name: string; kelurahan: string | null; channel: ChannelName }[];
  /** Per channel that has recipients: how long sending takes, in Indonesian. */
  estimate: Partial<Record<ChannelName, string>>;
}

export const sampleSize = 5;

/** Who an announcement would reach now, and how long it would take (for the console's preview). */
export async function previewBroadcast(db: Db, request: PreviewRequest): Promise<BroadcastPreview> {
  const audience = await checkAudience(db, request.organisationId, request.audience);
  const recipients = recipientsQuery(request.organisationId, audience);
  const counted = rowsOf(
    await db.execute(sql`
      select r.channel, count(*) as n from (${recipients}) r group by r.channel`),
  );
  const byChannel = Object.fromEntries(channelNames.map((name) => [name, 0])) as Record<
    ChannelName,
    number
  >;
  for (const row of counted) byChannel[channelOf(row.channel)] = numberOf(row.n);
  const sample = rowsOf(
    await db.execute(sql`
      select r.name, r.channel, k.name as kelurahan from (${recipients}) r
      left join areas k on k.code = r.kelurahan_code
      order by r.contact_id limit ${sampleSize}`),
  ).map((row) => ({
    name: displayName(row.name),
    kelurahan: typeof row.kelurahan === "string" ? row.kelurahan : null,
    channel: channelOf(row.channel),
  }));
  const estimate: Partial<Record<ChannelName, string>> = {};
  for (const channel of channelNames) {
    const count = byChannel[channel];
    if (count === 0) continue;
    const limits = request.limits[channel];
    if (!limits) {
      estimate[channel] = "belum bisa diperkirakan: saluran ini belum aktif";
      continue;
    }
    const { start, end } = witaDayBounds(request.now);
    const sentToday =
      limits.dailyCap === null ? 0 : await countNonRepliesSent(db, channel, start, end);
    estimate[channel] = estimateDuration(count, limits, sentToday);
  }
  const count = channelNames.reduce((sum, channel) => sum + byChannel[channel], 0);
  return { count, byChannel, sample, estimate };
}
