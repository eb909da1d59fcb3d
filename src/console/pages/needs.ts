import { Router } from "express";
import { needCategoryLabel } from "../../domain/groups.js";
import { listNeeds, type NeedSummary } from "../../domain/need-reports.js";
import { needStatusLabels } from "../../domain/needs.js";
import { formatDateTime, makassarDate } from "../../engine/format.js";
import { isAdmin } from "../../staff/principal.js";
import { sendCsv } from "../csv.js";
import type { ConsoleDeps } from "../deps.js";
import { html } from "../html.js";
import { renderPage } from "../layout.js";
import { pageNumber, pager, pageSize } from "../pager.js";
import { staffOf } from "../session.js";
import { filterForm, readFilters } from "./need-filters.js";

/** "Margo Mulyo, Balikpapan Barat", or what is known of it. */
export function areaLabel(need: Pick<NeedSummary, "kelurahanName" | "kecamatanName">): string {
  return [need.kelurahanName, need.kecamatanName].filter(Boolean).join(", ") || "-";
}

/** "Dinas Sosial · Siti", "Belum ditentukan". */
export function handlerLabel(need: Pick<NeedSummary, "organisationName" | "staffName">): string {
  return [need.organisationName, need.staffName].filter(Boolean).join(" · ") || "Belum ditentukan";
}

/**
 * Laporan kebutuhan: the needs routed to the staff member's organisation (all of them for an
 * administrator), filtered, a page at a time, and the same list as CSV.
 */
export function needListRoutes(deps: ConsoleDeps): Router {
  const router = Router();

  router.get("/console/laporan", async (req, res) => {
    const staff = staffOf(res);
    const read = readFilters(req.query);
    const page = pageNumber(req.query.halaman);
    const { rows, total } = await listNeeds(deps.db, staff, read.filters, {
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    const csvQuery = new URLSearchParams(
      Object.entries(read.query).filter((entry): entry is [string, string] => !!entry[1]),
    );
    renderPage(res, {
      title: "Laporan kebutuhan",
      active: "laporan",
      status: Object.keys(read.errors).length > 0 ? 400 : 200,
      body: html`<p>${isAdmin(staff) ? "Semua laporan warga. Tentukan organisasi yang menindaklanjuti setiap laporan baru." : `Laporan warga yang diteruskan ke ${staff.organisationName}.`}</p>
${await filterForm(deps.db, read)}
<p><a class="button secondary" href="/console/laporan.csv?${csvQuery.toString()}">Unduh CSV</a></p>
<div class="table-wrap"><table>
<thead><tr><th>Tiket</th><th>Dikirim</th><th>Kategori</th><th>Wilayah</th><th>Status</th><th>Ditangani</th></tr></thead>
<tbody>
${rows.map(
  (need) => html`<tr><td><a href="/console/laporan/${need.id}">${need.ticket}</a></td>
<td>${formatDateTime(need.createdAt)}</td><td>${needCategoryLabel(need.category)}</td>
<td>${areaLabel(need)}</td><td><span class="badge">${needStatusLabels[need.status]}</span></td>
<td>${handlerLabel(need)}</td></tr>`,
)}
${rows.length === 0 ? html`<tr><td colspan="6" class="muted">Tidak ada laporan yang cocok.</td></tr>` : ""}
</tbody></table></div>
${pager("/console/laporan", read.query, page, total)}`,
    });
  });

  router.get("/console/laporan.csv", async (req, res) => {
    const staff = staffOf(res);
    const { rows } = await listNeeds(deps.db, staff, readFilters(req.query).filters, {
      limit: null,
      offset: 0,
    });
    sendCsv(
      res,
      `laporan-${makassarDate(deps.clock())}.csv`,
      [
        "Tiket",
        "Dikirim (WITA)",
        "Kategori",
        "Kecamatan",
        "Kelurahan",
        "Status",
        "Diperbarui (WITA)",
        "Organisasi",
        "Petugas",
      ],
      rows.map((need) => [
        need.ticket,
        formatDateTime(need.createdAt),
        needCategoryLabel(need.category),
        need.kecamatanName,
        need.kelurahanName,
        needStatusLabels[need.status],
        formatDateTime(need.updatedAt),
        need.organisationName,
        need.staffName,
      ]),
    );
  });
  return router;
}
