import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { channelIdentities, contacts, inboundMessages } from "../../src/db/schema/index.js";
import { describeEachDatabase } from "../support/database.js";
import { personalDataIn } from "../support/personal-data.js";
import { playTranscript } from "../transcripts/run.js";
import { erasedResident, farewellAddress, keptResident, scenario } from "./scenario.js";

describeEachDatabase("HAPUS DATA, checked in every column of every table", (database) => {
  it("leaves nothing of the erased resident anywhere, while the other resident is still found", async () => {
    const transcript = await playTranscript(scenario, database());
    expect(transcript).toContain("Akun Anda sudah terhubung");
    expect(transcript).toContain("Laporan Anda sudah kami terima");
    expect(transcript).toContain("Data Anda sudah dihapus");
    const { db } = database();

    // The one exception (src/domain/erasure.ts): the address HAPUS DATA was typed from now
    // belongs to a new, empty person, so the farewell can be sent there.
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

    // The scan finds what is there: the resident who was not erased.
    const kept = await personalDataIn(db, keptResident);
    expect(kept.map((finding) => finding.needle)).toEqual(expect.arrayContaining(keptResident));
  });
});
