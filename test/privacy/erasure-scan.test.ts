import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import {
  channelIdentities,
  contacts,
  inboundMessages,
  outboxMessages,
} from "../../src/db/schema/index.js";
import { forgetFarewellAddresses } from "../../src/domain/erasure.js";
import { describeEachDatabase } from "../support/database.js";
import { personalDataIn } from "../support/personal-data.js";
import { playTranscript, transcriptEpoch } from "../transcripts/run.js";
import { erasedResident, farewellAddress, keptResident, scenario } from "./scenario.js";

/** A day after the transcripts' clock: when the minute sweep runs in these tests. */
const sweepAt = new Date(transcriptEpoch.getTime() + 86_400_000);

describeEachDatabase("HAPUS DATA, checked in every column of every table", (database) => {
  it("leaves nothing of the erased resident anywhere, while the other resident is still found", async () => {
    const transcript = await playTranscript(scenario, database());
    expect(transcript).toContain("Akun Anda sudah terhubung");
    expect(transcript).toContain("Laporan Anda sudah kami terima");
    expect(transcript).toContain("Data Anda sudah dihapus");
    const { db } = database();

    // The one exception (src/domain/erasure.ts): the address HAPUS DATA was typed from now
    // belongs to a new, empty person, until the farewell is sent there.
    expect(await personalDataIn(db, erasedResident)).toEqual([
      {
        place: "channel_identities.external_id",
        needle: farewellAddress,
        value: farewellAddress,
      },
    ]);
    const [successor] = await db
      .select({ contact: contacts, identityId: channelIdentities.id })
      .from(channelIdentities)
      .innerJoin(contacts, eq(contacts.id, channelIdentities.contactId))
      .where(eq(channelIdentities.externalId, farewellAddress));
    expect(successor?.contact).toMatchObject({ name: null, phone: null, consentedAt: null });
    const history = await db
      .select()
      .from(inboundMessages)
      .where(eq(inboundMessages.identityId, successor!.identityId));
    expect(history).toEqual([]);

    // The farewell is still to be sent: the minute sweep keeps the address for it.
    expect(await forgetFarewellAddresses(db, sweepAt)).toBe(0);
    // Once it is sent, the sweep forgets the address too: nothing of the resident is left.
    await db
      .update(outboxMessages)
      .set({ status: "sent" })
      .where(eq(outboxMessages.identityId, successor!.identityId));
    expect(await forgetFarewellAddresses(db, sweepAt)).toBe(1);
    expect(await personalDataIn(db, erasedResident)).toEqual([]);

    // The scan finds what is there: the resident who was not erased.
    const kept = await personalDataIn(db, keptResident);
    expect(kept.map((finding) => finding.needle)).toEqual(expect.arrayContaining(keptResident));
  });

  it("keeps the address when it writes again after the farewell: it is a new resident's", async () => {
    await playTranscript(`${scenario}@as ${farewellAddress}\n> halo\n`, database());
    const { db } = database();
    await db.update(outboxMessages).set({ status: "sent" });
    expect(await forgetFarewellAddresses(db, sweepAt)).toBe(0);
    const [identity] = await db
      .select({ keptForFarewell: channelIdentities.keptForFarewell })
      .from(channelIdentities)
      .where(eq(channelIdentities.externalId, farewellAddress));
    expect(identity).toEqual({ keptForFarewell: false });
  });
});
