import { type Response, Router } from "express";
import { groupLabel } from "../../domain/groups.js";
import {
  createProgramme,
  findManagedProgramme,
  listManagedProgrammes,
  type ManagedProgramme,
  programmeCategoryLabel,
  updateProgramme,
} from "../../domain/manage/programmes.js";
import { listSessions } from "../../domain/manage/sessions.js";
import { formatDate, formatDateTime, formatTime } from "../../engine/format.js";
import { isAdmin } from "../../staff/principal.js";
import type { ConsoleDeps } from "../deps.js";
import { type FieldErrors, readForm } from "../forms.js";
import { html } from "../html.js";
import { errorPage, renderPage } from "../layout.js";
import { redirectWithNotice } from "../notice.js";
import { staffOf } from "../session.js";
import {
  type ProgrammeFormValues,
  problemMessage,
  programmeForm,
  programmeFormHtml,
  programmeStatusLabels,
  valuesOfProgramme,
} from "./programme-form.js";

export const notFoundMessage = "Program ini tidak ada.";

/** The programme of `:id` when the staff member may see it; otherwise a 404 page is sent. */
export async function programmeOr404(
  deps: ConsoleDeps,
  res: Response,
  id: string | undefined,
): Promise<ManagedProgramme | undefined> {
  const programmeId = Number(id);
  const programme = Number.isSafeInteger(programmeId)
    ? await findManagedProgramme(deps.db, staffOf(res), programmeId, deps.clock())
    : undefined;
  if (!programme) errorPage(res, 404, notFoundMessage);
  return programme;
}

function seats(programme: ManagedProgramme): string {
  return `${programme.seatsTaken}/${programme.capacity}`;
}

/** Program & jadwal: the list, creating and editing programmes, and one programme's page. */
export function programmeRoutes(deps: ConsoleDeps): Router {
  const router = Router();

  router.get("/console/program", async (_req, res) => {
    const staff = staffOf(res);
    const { programmes } = await listManagedProgrammes(deps.db, staff, { now: deps.clock() });
    const admin = isAdmin(staff);
    renderPage(res, {
      title: "Program & jadwal",
      active: "program",
      body: html`<p class="toolbar"><a class="button" href="/console/program/baru">Program baru</a></p>
<div class="table-wrap"><table>
<thead><tr><th>Kode</th><th>Program</th>${admin ? html`<th>Penyelenggara</th>` : ""}<th>Status</th><th>Kursi terisi</th><th>Daftar tunggu</th><th>Sesi berikutnya</th><th></th></tr></thead>
<tbody>
${programmes.map(
  (p) => html`<tr><td>${p.code}</td><td><a href="/console/program/${p.id}">${p.title}</a></td>${
    admin ? html`<td>${p.organisationName}</td>` : ""
  }<td><span class="badge">${programmeStatusLabels[p.status]}</span></td><td>${seats(p)}</td><td>${p.waitlistCount}</td>
<td>${p.nextSessionAt ? formatDateTime(p.nextSessionAt) : html`<span class="muted">belum ada</span>`}</td>
<td><a href="/console/program/${p.id}/peserta">Peserta</a></td></tr>`,
)}
${programmes.length === 0 ? html`<tr><td colspan="8" class="muted">Belum ada program.</td></tr>` : ""}
</tbody></table></div>`,
    });
  });

  async function formPage(
    res: Response,
    options: {
      programme?: ManagedProgramme;
      values: ProgrammeFormValues;
      errors?: FieldErrors;
      status?: number;
    },
  ) {
    const { programme } = options;
    renderPage(res, {
      title: programme ? `Ubah ${programme.code}` : "Program baru",
      active: "program",
      status: options.status,
      body: await programmeFormHtml(deps.db, res, {
        action: programme ? `/console/program/${programme.id}` : "/console/program",
        values: options.values,
        errors: options.errors ?? {},
        chooseOrganiser: isAdmin(staffOf(res)),
        submit: programme ? "Simpan perubahan" : "Buat program",
      }),
    });
  }

  router.get("/console/program/baru", async (_req, res) =>
    formPage(res, {
      values: { status: "draft", capacity: 16, organisationId: staffOf(res).organisationId },
    }),
  );

  router.post("/console/program", async (req, res) => {
    const values = req.body as ProgrammeFormValues;
    const form = readForm(programmeForm, req.body);
    if (!form.ok) return formPage(res, { values, errors: form.errors, status: 400 });
    const saved = await createProgramme(deps.db, staffOf(res), form.data, deps.clock());
    if (saved.result === "invalid")
      return formPage(res, { values, errors: problemMessage(saved), status: 400 });
    if (saved.result !== "saved") return errorPage(res, 404, notFoundMessage);
    redirectWithNotice(
      res,
      `/console/program/${saved.id}`,
      "Program sudah dibuat. Tambahkan sesi jadwalnya di bawah.",
    );
  });

  router.get("/console/program/:id", async (req, res) => {
    const programme = await programmeOr404(deps, res, req.params.id);
    if (!programme) return;
    const sessions = await listSessions(deps.db, staffOf(res), programme.id);
    const now = deps.clock();
    renderPage(res, {
      title: programme.title,
      active: "program",
      body: html`<p class="toolbar"><a class="button" href="/console/program/${programme.id}/ubah">Ubah program</a>
<a class="button secondary" href="/console/program/${programme.id}/peserta">Peserta</a>
<a class="button secondary" href="/console/program">Semua program</a></p>
<dl class="facts">
<dt>Kode</dt><dd>${programme.code}</dd>
<dt>Penyelenggara</dt><dd>${programme.organisationName}</dd>
<dt>Kategori</dt><dd>${programmeCategoryLabel(programme.category)}</dd>
<dt>Status</dt><dd>${programmeStatusLabels[programme.status]}</dd>
<dt>Kursi terisi</dt><dd>${seats(programme)} · daftar tunggu ${programme.waitlistCount}</dd>
<dt>Tempat</dt><dd>${programme.place || "—"}</dd>
<dt>Kelompok sasaran</dt><dd>${programme.targetGroups.map(groupLabel).join(", ") || "—"}</dd>
<dt>Syarat</dt><dd>${programme.requirements || "—"}</dd>
<dt>Aksesibilitas</dt><dd>${programme.accessibilityNotes || "—"}</dd>
<dt>Kata kunci</dt><dd>${programme.keywords.join(", ") || "—"}</dd>
</dl>
<h2>Jadwal sesi</h2>
<p class="toolbar"><a class="button" href="/console/program/${programme.id}/sesi/baru">Tambah sesi</a></p>
<div class="table-wrap"><table>
<thead><tr><th>Tanggal</th><th>Jam</th><th>Tempat</th><th>Bawa</th><th>Status</th><th>RSVP hadir/tidak</th><th>Hadir</th><th></th></tr></thead>
<tbody>
${sessions.map((s) => {
  const base = `/console/program/${programme.id}/sesi/${s.id}`;
  const changeable = s.status === "scheduled" && s.startsAt > now;
  return html`<tr><td>${formatDate(s.startsAt)}</td><td>${formatTime(s.startsAt)}–${formatTime(s.endsAt)}</td>
<td>${s.place || programme.place}</td><td>${s.whatToBring}</td>
<td>${s.status === "cancelled" ? html`<span class="badge">Dibatalkan</span>` : "Terjadwal"}</td>
<td>${s.rsvpYes}/${s.rsvpNo}</td><td>${s.attended}</td>
<td>${changeable ? html`<a href="${base}/pindah">Pindah</a> · <a href="${base}/batal">Batalkan</a> · ` : ""}<a href="${base}/kehadiran">Kehadiran</a> · <a href="${base}/cetak">Cetak daftar hadir</a></td></tr>`;
})}
${sessions.length === 0 ? html`<tr><td colspan="8" class="muted">Belum ada sesi.</td></tr>` : ""}
</tbody></table></div>`,
    });
  });

  router.get("/console/program/:id/ubah", async (req, res) => {
    const programme = await programmeOr404(deps, res, req.params.id);
    if (programme) await formPage(res, { programme, values: valuesOfProgramme(programme) });
  });

  router.post("/console/program/:id", async (req, res) => {
    const programme = await programmeOr404(deps, res, req.params.id);
    if (!programme) return;
    const values = req.body as ProgrammeFormValues;
    const form = readForm(programmeForm, req.body);
    if (!form.ok) return formPage(res, { programme, values, errors: form.errors, status: 400 });
    const saved = await updateProgramme(deps.db, staffOf(res), programme.id, form.data, {
      now: deps.clock(),
      offerTtlMs: deps.offerTtlMs,
    });
    if (saved.result === "invalid")
      return formPage(res, { programme, values, errors: problemMessage(saved), status: 400 });
    if (saved.result !== "saved") return errorPage(res, 404, notFoundMessage);
    if (saved.offered > 0) deps.wakeDelivery();
    redirectWithNotice(
      res,
      `/console/program/${programme.id}`,
      saved.offered > 0
        ? `Program sudah disimpan. ${saved.offered} kursi baru ditawarkan ke daftar tunggu.`
        : "Program sudah disimpan.",
    );
  });
  return router;
}
