import { eq, sql } from "drizzle-orm";
import { channelLabels } from "../channels/contract.js";
import type { Db } from "../db/client.js";
import { channelIdentities, contacts } from "../db/schema/index.js";
import { formatDateTime } from "../engine/format.js";
import { areaNames } from "./contacts.js";
import { disabilityTypeLabel, groupLabel } from "./groups.js";
import { myNeeds, needLine } from "./needs.js";
import { myRegistrations, registrationStatusLabel } from "./registrations.js";

const unknown = "-";

/**
 * DATA SAYA: everything Berdaya stores about the resident, in words they can read. The
 * resident's own report texts are not repeated (they can be long); the tickets and categories are.
 */
export async function exportText(
  db: Db,
  input: { contactId: number; organisationName: string },
): Promise<string> {
  const [contact] = await db.select().from(contacts).where(eq(contacts.id, input.contactId));
  if (!contact) throw new Error(`no contact ${input.contactId}`);
  const names = await areaNames(db, [contact.kecamatanCode, contact.kelurahanCode]);
  const identities = await db
    .select({ channel: channelIdentities.channel, displayName: channelIdentities.displayName })
    .from(channelIdentities)
    .where(eq(channelIdentities.contactId, input.contactId))
    .orderBy(sql`${channelIdentities.lastInboundAt} desc nulls last`);
  const registrations = await myRegistrations(db, input.contactId);
  const needs = await myNeeds(db, input.contactId);

  const lines = [
    `Data Anda yang disimpan oleh ${input.organisationName}:`,
    `Nama: ${contact.name ?? unknown}`,
    `Nomor HP: ${contact.phone ?? unknown}`,
    `Kecamatan: ${(contact.kecamatanCode && names.get(contact.kecamatanCode)) || unknown}`,
    `Kelurahan: ${(contact.kelurahanCode && names.get(contact.kelurahanCode)) || unknown}`,
    `Kelompok: ${contact.groups.map(groupLabel).join(", ") || unknown}`,
  ];
  if (contact.disabilityTypes !== null) {
    lines.push(
      `Jenis disabilitas: ${contact.disabilityTypes.map(disabilityTypeLabel).join(", ") || unknown}`,
    );
  }
  lines.push(
    `Persetujuan: ${contact.consentedAt ? `diberikan ${formatDateTime(contact.consentedAt)}` : "belum diberikan"}`,
    `Pengumuman: ${contact.announcementsOptedOutAt ? "tidak aktif" : "aktif"}`,
    `Saluran: ${identities.map((i) => channelLabels[i.channel] + (i.displayName ? ` (${i.displayName})` : "")).join(", ") || unknown}`,
    "Pendaftaran:",
    ...(registrations.length === 0
      ? ["- belum ada"]
      : registrations.map((r) => `- ${r.title} — ${registrationStatusLabel(r)}`)),
    "Laporan:",
    ...(needs.length === 0 ? ["- belum ada"] : needs.map((need) => `- ${needLine(need)}`)),
    "",
    "Untuk memperbaiki data, ketik MENU. Untuk menghapus semua data, ketik HAPUS DATA.",
  );
  return lines.join("\n");
}
