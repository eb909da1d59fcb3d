import { Router } from "express";
import { searchResidents } from "../../domain/residents.js";
import { formatDate, formatPhone } from "../../engine/format.js";
import { isAdmin } from "../../staff/principal.js";
import type { ConsoleDeps } from "../deps.js";
import { inputField } from "../forms.js";
import { html } from "../html.js";
import { renderPage } from "../layout.js";
import { pageNumber, pager, pageSize } from "../pager.js";
import { staffOf } from "../session.js";

/** Warga: search the residents the staff member may see, by name or phone number. */
export function residentListRoutes(deps: ConsoleDeps): Router {
  const router = Router();
  router.get("/console/warga", async (req, res) => {
    const staff = staffOf(res);
    const q = typeof req.query.q === "string" ? req.query.q.slice(0, 100) : "";
    const page = pageNumber(req.query.halaman);
    const { rows, total } = await searchResidents(deps.db, staff, q, {
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    renderPage(res, {
      title: "Warga",
      active: "warga",
      body: html`<p>${isAdmin(staff) ? "Semua warga yang memakai Berdaya." : `Warga yang mendaftar ke program ${staff.organisationName} atau laporannya diteruskan ke ${staff.organisationName}.`}</p>
<form method="get" action="/console/warga" class="toolbar" role="search">
${inputField({ name: "q", label: "Cari nama atau nomor HP", type: "search", value: q, hint: "Nomor boleh ditulis 0812…, 62812… atau +62 812…" })}
<button type="submit">Cari</button>
</form>
<div class="table-wrap"><table>
<thead><tr><th>Nama</th><th>Nomor HP</th><th>Wilayah</th><th>Pertama menghubungi</th></tr></thead>
<tbody>
${rows.map(
  (
    resident,
  ) => html`<tr><td><a href="/console/warga/${resident.id}">${resident.name ?? "Tanpa nama"}</a></td>
<td>${resident.phone ? formatPhone(resident.phone) : "-"}</td>
<td>${resident.kelurahanName ?? resident.kecamatanName ?? "-"}</td>
<td>${formatDate(resident.createdAt)}</td></tr>`,
)}
${rows.length === 0 ? html`<tr><td colspan="4" class="muted">Tidak ada warga yang cocok.</td></tr>` : ""}
</tbody></table></div>
${pager("/console/warga", { q }, page, total)}`,
    });
  });
  return router;
}
