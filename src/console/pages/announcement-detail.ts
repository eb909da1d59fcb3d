import type { Response } from "express";
import { channelLabels } from "../../channels/contract.js";
import {
  type BroadcastProgress,
  type BroadcastRecipient,
  type BroadcastRow,
  type BroadcastStatus,
  broadcastAudienceSchema,
} from "../../domain/broadcasts/index.js";
import { formatDateTime } from "../../engine/format.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, renderPage } from "../layout.js";
import { outboxStatusLabels } from "../outbox-labels.js";
import { type AudienceChoices, describeAudience } from "./announcement-audience.js";

/** The detail page of one announcement: progress, recipients, cancel. */

export const broadcastStatusLabels: Readonly<Record<BroadcastStatus, string>> = {
  draft: "Draf",
  scheduled: "Terjadwal",
  sending: "Sedang dikirim",
  done: "Selesai",
  cancelled: "Dibatalkan",
};

/** The audience as staff read it; a stored audience that no longer parses reads as unknown. */
export function audienceSummary(audience: unknown, choices: AudienceChoices): string {
  const parsed = broadcastAudienceSchema.safeParse(audience);
  return parsed.success ? describeAudience(parsed.data, choices) : "(tidak diketahui)";
}

export const recipientsPerPage = 50;

/** The progress figures; pengumuman.js refreshes them from the JSON progress endpoint. */
function progressBlock(progress: BroadcastProgress): SafeHtml {
  const figures: [keyof BroadcastProgress, string][] = [
    ["queued", "Menunggu"],
    ["sent", "Terkirim"],
    ["failed", "Gagal"],
    ["unreachable", "Tidak terjangkau"],
    ["cancelled", "Dibatalkan"],
    ["total", "Jumlah"],
  ];
  return html`<section id="progres" aria-live="polite">
<p><progress max="100" value="${progress.percent}" data-field="percent">${progress.percent}%</progress> <strong data-field="percentText">${progress.percent}%</strong> · <span data-field="statusLabel">${broadcastStatusLabels[progress.status]}</span></p>
<dl class="facts">${figures.map(
    ([key, label]) => html`<dt>${label}</dt><dd data-field="${key}">${progress[key]}</dd>`,
  )}</dl>
</section>`;
}

export interface DetailView {
  broadcast: BroadcastRow;
  progress: BroadcastProgress;
  recipients: { total: number; recipients: BroadcastRecipient[] };
  page: number;
  choices: AudienceChoices;
}

export function renderDetail(res: Response, view: DetailView): void {
  const { broadcast, progress, recipients } = view;
  const pages = Math.max(1, Math.ceil(recipients.total / recipientsPerPage));
  const cancellable = ["draft", "scheduled", "sending"].includes(progress.status);
  const base = `/console/pengumuman/${broadcast.id}`;
  renderPage(res, {
    title: broadcast.title,
    active: "pengumuman",
    scripts: ["pengumuman.js"],
    refreshWithoutScript: progress.status === "sending" ? 5 : undefined,
    body: html`<p><a href="/console/pengumuman">← Semua pengumuman</a></p>
<dl class="facts">
<dt>Status</dt><dd>${broadcastStatusLabels[progress.status]}</dd>
<dt>Penerima</dt><dd>${audienceSummary(broadcast.audience, view.choices)}</dd>
<dt>Dibuat</dt><dd>${formatDateTime(broadcast.createdAt)}</dd>
${broadcast.scheduledAt ? html`<dt>Dijadwalkan</dt><dd>${formatDateTime(broadcast.scheduledAt)}</dd>` : ""}
</dl>
<h2>Isi</h2>
<p class="bubble out">${broadcast.text}</p>
<h2>Pengiriman</h2>
${
  progress.status === "draft" || progress.status === "scheduled"
    ? html`<p>Belum ada pesan yang dikirim${broadcast.scheduledAt ? html`; dikirim ${formatDateTime(broadcast.scheduledAt)} kepada warga yang cocok saat itu` : ""}.</p>`
    : html`<div data-progress-url="${base}/progres" data-status="${progress.status}">${progressBlock(progress)}</div>`
}
${
  cancellable
    ? html`<form method="post" action="${base}/batal" class="inline">${csrfField(res)}
<button type="submit" class="danger">Batalkan pengumuman</button>
<small>Pesan yang belum terkirim ditarik; yang sudah terkirim tetap.</small></form>`
    : ""
}
<h2>Penerima (${recipients.total})</h2>
<div class="table-wrap"><table>
<thead><tr><th>Nama</th><th>Saluran</th><th>Status</th><th>Keterangan</th><th>Terkirim</th></tr></thead>
<tbody>
${recipients.recipients.map(
  (
    r,
  ) => html`<tr><td>${r.name}</td><td>${channelLabels[r.channel]}</td><td>${outboxStatusLabels[r.status]}</td>
<td>${r.lastError ?? ""}</td><td>${r.sentAt ? formatDateTime(r.sentAt) : ""}</td></tr>`,
)}
${recipients.total === 0 ? html`<tr><td colspan="5" class="muted">Belum ada penerima.</td></tr>` : ""}
</tbody></table></div>
${
  pages > 1
    ? html`<nav class="toolbar" aria-label="Halaman penerima">
${view.page > 1 ? html`<a href="${base}?halaman=${view.page - 1}">← Sebelumnya</a>` : ""}
<span>Halaman ${view.page} dari ${pages}</span>
${view.page < pages ? html`<a href="${base}?halaman=${view.page + 1}">Berikutnya →</a>` : ""}
</nav>`
    : ""
}`,
  });
}
