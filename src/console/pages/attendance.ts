import { Router } from "express";
import { attendanceSheet, markAttendance } from "../../domain/manage/attendance.js";
import { formatDateTime, formatPhone, formatTime } from "../../engine/format.js";
import type { ConsoleDeps } from "../deps.js";
import { listOfValues } from "../forms.js";
import { html } from "../html.js";
import { csrfField, errorPage, renderPage } from "../layout.js";
import { redirectWithNotice } from "../notice.js";
import { staffOf } from "../session.js";
import { erasedName, rsvpLabels } from "./participants.js";
import { sessionOr404 } from "./sessions.js";

/** Attendance of one session: RSVP answers, marking who came, and a printable sheet. */
export function attendanceRoutes(deps: ConsoleDeps): Router {
  const router = Router();

  async function sheetOr404(
    req: { params: { id?: string; sid?: string } },
    res: Parameters<typeof renderPage>[0],
  ) {
    const found = await sessionOr404(deps, res, req.params);
    if (!found) return undefined;
    const sheet = await attendanceSheet(deps.db, staffOf(res), found.session.id);
    if (!sheet) errorPage(res, 404, "Sesi ini tidak ada.");
    return sheet && { ...found, rows: sheet.rows };
  }

  router.get("/console/program/:id/sesi/:sid/kehadiran", async (req, res) => {
    const found = await sheetOr404(req, res);
    if (!found) return;
    const { programme, session, rows } = found;
    const base = `/console/program/${programme.id}`;
    renderPage(res, {
      title: `Kehadiran ${formatDateTime(session.startsAt)}`,
      active: "program",
      body: html`<p class="toolbar"><a href="${base}/peserta">← Peserta ${programme.code}</a>
<a class="button secondary" href="${base}/sesi/${session.id}/cetak">Cetak daftar hadir</a></p>
<form method="post" action="${base}/sesi/${session.id}/kehadiran">
${csrfField(res)}
<div class="table-wrap"><table>
<thead><tr><th>Nama</th><th>Nomor HP</th><th>RSVP</th><th>Hadir</th></tr></thead>
<tbody>
${rows.map(
  (
    row,
  ) => html`<tr><td>${row.name ?? erasedName}</td><td>${row.phone ? formatPhone(row.phone) : ""}</td>
<td>${row.rsvp ? rsvpLabels[row.rsvp] : html`<span class="muted">belum menjawab</span>`}</td>
<td><label class="check"><input type="checkbox" name="hadir" value="${row.registrationId}"${row.attended ? html` checked` : ""}> hadir</label></td></tr>`,
)}
${rows.length === 0 ? html`<tr><td colspan="4" class="muted">Belum ada peserta terdaftar.</td></tr>` : ""}
</tbody></table></div>
<p><button type="submit">Simpan kehadiran</button></p>
</form>`,
    });
  });

  router.post("/console/program/:id/sesi/:sid/kehadiran", async (req, res) => {
    const found = await sheetOr404(req, res);
    if (!found) return;
    const present = listOfValues(req.body?.hadir).map(Number).filter(Number.isSafeInteger);
    const saved = await markAttendance(
      deps.db,
      staffOf(res),
      found.session.id,
      present,
      deps.clock(),
    );
    if (saved.result !== "saved") return errorPage(res, 404, "Sesi ini tidak ada.");
    redirectWithNotice(
      res,
      req.originalUrl,
      `Kehadiran disimpan: ${saved.present} hadir, ${saved.absent} tidak hadir.`,
    );
  });

  router.get("/console/program/:id/sesi/:sid/cetak", async (req, res) => {
    const found = await sheetOr404(req, res);
    if (!found) return;
    const { programme, session, rows } = found;
    renderPage(res, {
      title: "Daftar hadir",
      active: "program",
      body: html`<p class="no-print"><a href="/console/program/${programme.id}/sesi/${session.id}/kehadiran">← Kehadiran</a> · Cetak halaman ini dengan menu Cetak di browser (Ctrl+P).</p>
<dl class="facts">
<dt>Program</dt><dd>${programme.title} (${programme.code})</dd>
<dt>Penyelenggara</dt><dd>${programme.organisationName}</dd>
<dt>Waktu</dt><dd>${formatDateTime(session.startsAt)}–${formatTime(session.endsAt)}</dd>
<dt>Tempat</dt><dd>${session.place || programme.place}</dd>
</dl>
<table class="attendance-sheet">
<thead><tr><th>No.</th><th>Nama</th><th>Nomor HP</th><th>Tanda tangan</th></tr></thead>
<tbody>
${rows.map(
  (row, index) =>
    html`<tr><td>${index + 1}</td><td>${row.name ?? erasedName}</td><td>${row.phone ? formatPhone(row.phone) : ""}</td><td class="signature"></td></tr>`,
)}
</tbody></table>`,
    });
  });
  return router;
}
