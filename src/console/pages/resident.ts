import { type Response, Router } from "express";
import { channelLabels } from "../../channels/contract.js";
import { disabilityTypeLabel, groupLabel, needCategoryLabel } from "../../domain/groups.js";
import { type HistoryEntry, messageHistory } from "../../domain/message-history.js";
import { listNeeds } from "../../domain/need-reports.js";
import { needStatusLabels } from "../../domain/needs.js";
import { registrationStatusLabel } from "../../domain/registrations.js";
import { eraseResident } from "../../domain/resident-erasure.js";
import { findResident, type ResidentProfile } from "../../domain/residents.js";
import { formatDateTime, formatPhone } from "../../engine/format.js";
import type { ConsoleDeps } from "../deps.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, errorPage, renderPage } from "../layout.js";
import { redirectWithNotice } from "../notice.js";
import { outboxStatusLabels } from "../outbox-labels.js";
import { staffOf } from "../session.js";

const historyLength = 50;

function bubble(entry: HistoryEntry): SafeHtml {
  const text = entry.text ?? (entry.direction === "in" ? `[${entry.kind}]` : "");
  const note =
    entry.direction === "in"
      ? `Warga · ${channelLabels[entry.channel]} · ${formatDateTime(entry.at)}`
      : `Berdaya · ${channelLabels[entry.channel]} · ${formatDateTime(entry.at)} · ${outboxStatusLabels[entry.status]}`;
  return html`<div class="bubble ${entry.direction}">${text}<small>${note}</small></div>`;
}

const listed = (items: readonly string[]) => (items.length > 0 ? items.join(", ") : "-");

/** Warga: one resident's profile, consent, channels, registrations, reports and messages. */
export function residentRoutes(deps: ConsoleDeps): Router {
  const router = Router();

  const residentOf = async (res: Response, raw: string | undefined) => {
    const id = Number(raw);
    return Number.isSafeInteger(id) ? findResident(deps.db, staffOf(res), id) : undefined;
  };
  const missing = (res: Response) => errorPage(res, 404, "Warga ini tidak ada.");
  const nameOf = (resident: ResidentProfile) => resident.name ?? "Tanpa nama";

  router.get("/console/warga/:id", async (req, res) => {
    const resident = await residentOf(res, req.params.id);
    if (!resident) return missing(res);
    const staff = staffOf(res);
    const needs = await listNeeds(
      deps.db,
      staff,
      { contactId: resident.id },
      { limit: 50, offset: 0 },
    );
    const history = await messageHistory(deps.db, resident.id, historyLength);
    renderPage(res, {
      title: nameOf(resident),
      active: "warga",
      body: html`<p><a href="/console/warga">← Semua warga</a></p>
<dl class="facts">
<dt>Nama</dt><dd>${nameOf(resident)}</dd>
<dt>Nomor HP</dt><dd>${resident.phone ? formatPhone(resident.phone) : "-"}</dd>
<dt>Kecamatan</dt><dd>${resident.kecamatanName ?? "-"}</dd>
<dt>Kelurahan</dt><dd>${resident.kelurahanName ?? "-"}</dd>
<dt>Kelompok</dt><dd>${listed(resident.groups.map(groupLabel))}</dd>
${resident.disabilityTypes === null ? "" : html`<dt>Jenis disabilitas</dt><dd>${listed(resident.disabilityTypes.map(disabilityTypeLabel))} <span class="muted">(data sensitif)</span></dd>`}
<dt>Pengumuman</dt><dd>${resident.announcementsOn ? "Menerima" : "Berhenti (BERHENTI)"}</dd>
<dt>Pertama menghubungi</dt><dd>${formatDateTime(resident.createdAt)}</dd>
</dl>
<h2>Persetujuan</h2>
${resident.consents.length === 0 ? html`<p class="muted">Belum ada jawaban persetujuan.</p>` : ""}
${resident.consents.map(
  (
    consent,
  ) => html`<p><strong>${consent.granted ? "Setuju" : "Tidak setuju / ditarik"}</strong> · ${formatDateTime(consent.recordedAt)} · ${channelLabels[consent.channel]}</p>
<blockquote class="words">${consent.text}</blockquote>`,
)}
<h2>Saluran</h2>
<div class="table-wrap"><table>
<thead><tr><th>Aplikasi</th><th>Nama di aplikasi</th><th>Status</th><th>Pesan terakhir</th></tr></thead>
<tbody>${resident.channels.map(
        (
          channel,
        ) => html`<tr><td>${channelLabels[channel.channel]}</td><td>${channel.displayName ?? "-"}</td>
<td>${channel.reachable ? "Dapat dihubungi" : "Tidak dapat dihubungi"}</td>
<td>${channel.lastInboundAt ? formatDateTime(channel.lastInboundAt) : "-"}</td></tr>`,
      )}</tbody></table></div>
<h2>Pendaftaran</h2>
<div class="table-wrap"><table>
<thead><tr><th>Program</th><th>Status</th><th>Diperbarui</th></tr></thead>
<tbody>${resident.registrations.map(
        (registration) => html`<tr><td>${registration.programmeCode} · ${registration.title}</td>
<td>${registrationStatusLabel(registration)}</td><td>${formatDateTime(registration.updatedAt)}</td></tr>`,
      )}
${resident.registrations.length === 0 ? html`<tr><td colspan="3" class="muted">Belum ada.</td></tr>` : ""}
</tbody></table></div>
<h2>Laporan</h2>
<div class="table-wrap"><table>
<thead><tr><th>Tiket</th><th>Kategori</th><th>Status</th><th>Dikirim</th></tr></thead>
<tbody>${needs.rows.map(
        (
          need,
        ) => html`<tr><td><a href="/console/laporan/${need.id}">${need.ticket}</a></td><td>${needCategoryLabel(need.category)}</td>
<td>${needStatusLabels[need.status]}</td><td>${formatDateTime(need.createdAt)}</td></tr>`,
      )}
${needs.rows.length === 0 ? html`<tr><td colspan="4" class="muted">Belum ada.</td></tr>` : ""}
</tbody></table></div>
<h2>Riwayat pesan</h2>
<p class="muted">${historyLength} pesan terakhir, yang terbaru di bawah.</p>
${history.length === 0 ? html`<p class="muted">Belum ada pesan.</p>` : history.map(bubble)}
<h2>Hapus data</h2>
<p>Jika warga meminta datanya dihapus, hapus di sini. Hasilnya sama dengan warga mengetik HAPUS DATA.</p>
<p><a class="button secondary" href="/console/warga/${resident.id}/hapus">Hapus data warga ini…</a></p>`,
    });
  });

  router.get("/console/warga/:id/hapus", async (req, res) => {
    const resident = await residentOf(res, req.params.id);
    if (!resident) return missing(res);
    renderPage(res, {
      title: "Hapus data warga",
      active: "warga",
      body: html`<p>Data <strong>${nameOf(resident)}</strong> akan dihapus atas permintaan warga, sama seperti HAPUS DATA:</p>
<ul>
<li>nama, nomor HP, wilayah, kelompok dan jenis disabilitas dikosongkan;</li>
<li>riwayat pesan, catatan persetujuan, kata-kata dan foto laporan dihapus;</li>
<li>pendaftaran yang masih aktif dibatalkan (kursinya diberikan ke daftar tunggu);</li>
<li>hanya angka tanpa nama yang tersisa untuk statistik.</li>
</ul>
<p><strong>Ini tidak bisa dibatalkan.</strong></p>
<form method="post" action="/console/warga/${resident.id}/hapus" class="stack">
${csrfField(res)}
<button type="submit" class="danger">Ya, hapus data warga ini</button>
<a href="/console/warga/${resident.id}">Batal</a>
</form>`,
    });
  });

  router.post("/console/warga/:id/hapus", async (req, res) => {
    const id = Number(req.params.id);
    const erased =
      Number.isSafeInteger(id) &&
      (await eraseResident(deps.db, staffOf(res), { contactId: id, now: deps.clock() }));
    if (!erased) return missing(res);
    deps.wakeDelivery();
    redirectWithNotice(res, "/console/warga", "Data warga sudah dihapus.");
  });
  return router;
}
