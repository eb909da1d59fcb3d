import { Router } from "express";
import type { ChannelState } from "../../channels/adapter.js";
import { channelLabels } from "../../channels/contract.js";
import { type DashboardFigures, dashboardFigures } from "../../domain/dashboard.js";
import { needCategoryLabel } from "../../domain/groups.js";
import { formatDate, makassarDate } from "../../engine/format.js";
import type { ConsoleDeps } from "../deps.js";
import { html, type SafeHtml } from "../html.js";
import { renderPage, sections } from "../layout.js";
import { staffOf } from "../session.js";

function stateLabel(status: ChannelState): string {
  switch (status.state) {
    case "off":
      return "Mati";
    case "starting":
      return "Sedang dinyalakan";
    case "qr":
      return "Belum dipasangkan: pindai kode QR di halaman Saluran";
    case "authenticated":
      return "Dipasangkan, sedang tersambung";
    case "ready":
      return "Tersambung";
    case "disconnected":
      return `Terputus (${status.reason})`;
  }
}

/** Horizontal bars drawn by <meter>: no script and no inline style (the CSP allows neither). */
function bars(rows: readonly { label: string; n: number }[]): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">Belum ada data.</p>`;
  const max = Math.max(...rows.map((row) => row.n));
  return html`${rows.map(
    (row) =>
      html`<div class="bar"><span>${row.label}</span><meter min="0" max="${max}" value="${row.n}">${row.n}</meter><span>${row.n}</span></div>`,
  )}`;
}

const chartWidth = 160;
const chartHeight = 40;

/** A small column chart of registrations per week, as inline SVG with a title per column. */
function weekChart(perWeek: readonly number[], weekStarts: readonly Date[]): SafeHtml {
  const max = Math.max(1, ...perWeek);
  const step = chartWidth / perWeek.length;
  return html`<svg class="chart" width="${chartWidth}" height="${chartHeight}" viewBox="0 0 ${chartWidth} ${chartHeight}" role="img" aria-label="Pendaftaran per minggu">${perWeek.map(
    (n, i) => {
      const height = Math.round((n / max) * (chartHeight - 2));
      const week = weekStarts[i];
      return html`<rect x="${i * step + 2}" y="${chartHeight - height}" width="${step - 4}" height="${height}"><title>${week ? `Minggu ${formatDate(week)}` : ""}: ${n}</title></rect>`;
    },
  )}</svg>`;
}

function registrationsChart(figures: DashboardFigures): SafeHtml {
  if (figures.registrationsPerWeek.length === 0) {
    return html`<p class="muted">Belum ada pendaftaran dalam ${figures.weekStarts.length} minggu terakhir.</p>`;
  }
  const short = (date: Date) => makassarDate(date).slice(5).split("-").reverse().join("/");
  return html`<div class="table-wrap"><table>
<thead><tr><th>Program</th>${figures.weekStarts.map((week) => html`<th>${short(week)}</th>`)}<th>Grafik</th></tr></thead>
<tbody>${figures.registrationsPerWeek.map(
    (programme) =>
      html`<tr><td>${programme.code} · ${programme.title}</td>${programme.perWeek.map(
        (n) => html`<td>${n}</td>`,
      )}<td>${weekChart(programme.perWeek, figures.weekStarts)}</td></tr>`,
  )}</tbody></table></div>
<p class="muted">Kolom: minggu yang dimulai hari Senin (tanggal/bulan, WITA).</p>`;
}

const perChannel = (rows: readonly { channel: keyof typeof channelLabels; n: number }[]) =>
  rows.length === 0
    ? html`<p class="muted">Tidak ada.</p>`
    : html`<ul>${rows.map((row) => html`<li>${channelLabels[row.channel]}: ${row.n}</li>`)}</ul>`;

/** Dasbor: the start page after login, everything limited to what the staff member may see. */
export function dashboardRoutes(deps: ConsoleDeps): Router {
  const router = Router();
  router.get("/console", async (_req, res) => {
    const staff = staffOf(res);
    const figures = await dashboardFigures(deps.db, staff, deps.clock());
    const channels = [...deps.channels.values()];
    renderPage(res, {
      title: "Dasbor",
      active: "dasbor",
      body: html`<p>Selamat datang, ${staff.name}.</p>
<div class="cards">
<div class="card"><strong>${figures.residents}</strong><a href="${sections.warga.path}">Warga</a></div>
<div class="card"><strong>${figures.activeRegistrations}</strong><a href="${sections.program.path}">Pendaftaran aktif</a></div>
<div class="card"><strong>${figures.openNeeds}</strong><a href="${sections.laporan.path}">Laporan belum selesai</a></div>
<div class="card"><strong>${figures.messagesInToday}</strong>Pesan masuk hari ini</div>
<div class="card"><strong>${figures.messagesOutToday}</strong>Pesan terkirim hari ini</div>
</div>
<h2>Pendaftaran per program, ${figures.weekStarts.length} minggu terakhir</h2>
${registrationsChart(figures)}
<h2>Laporan per kategori</h2>
${bars(figures.needsByCategory.map((row) => ({ label: needCategoryLabel(row.category), n: row.n })))}
<h2>Laporan per kecamatan</h2>
${bars(figures.needsByKecamatan.map((row) => ({ label: row.name ?? "Tidak disebut", n: row.n })))}
<h2>Pengiriman</h2>
<h3>Antrean (menunggu dikirim)</h3>
${perChannel(figures.queued)}
<h3>Gagal dalam 24 jam terakhir</h3>
${perChannel(figures.failed)}
<h2>Saluran</h2>
${
  channels.length === 0
    ? html`<p class="muted">Belum ada saluran yang aktif.</p>`
    : html`<ul>${channels.map((adapter) => html`<li>${channelLabels[adapter.channel]}: ${stateLabel(adapter.status())}</li>`)}</ul>`
}
<p><a href="${sections.saluran.path}">Atur saluran</a></p>`,
    });
  });
  return router;
}
