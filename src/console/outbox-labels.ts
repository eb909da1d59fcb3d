import type { OutboxStatus } from "../db/schema/index.js";

/** A message's delivery status as staff read it (announcements, conversations, history). */
export const outboxStatusLabels: Readonly<Record<OutboxStatus, string>> = {
  pending: "Menunggu",
  sending: "Sedang dikirim",
  sent: "Terkirim",
  failed: "Gagal",
  unreachable: "Tidak terjangkau",
  cancelled: "Dibatalkan",
};
