import { type Response, Router } from "express";
import { z } from "zod";
import { needStatuses } from "../../db/schema/index.js";
import { needCategoryLabel } from "../../domain/groups.js";
import { assignmentChoices, assignNeed } from "../../domain/need-assignment.js";
import { findNeed, type NeedDetail } from "../../domain/need-reports.js";
import { changeNeedStatus, maxStaffMessageLength, nextStatuses } from "../../domain/need-status.js";
import { needStatusLabels } from "../../domain/needs.js";
import { formatDateTime } from "../../engine/format.js";
import { isAdmin } from "../../staff/principal.js";
import type { ConsoleDeps } from "../deps.js";
import { type FieldErrors, readForm, selectField, textAreaField } from "../forms.js";
import { html } from "../html.js";
import { csrfField, errorPage, renderPage } from "../layout.js";
import { redirectWithNotice } from "../notice.js";
import { staffOf } from "../session.js";
import { areaLabel, handlerLabel } from "./needs.js";

const statusForm = z.object({
  status: z.enum(needStatuses, { error: "Pilih status baru." }),
  message: z
    .string()
    .trim()
    .max(maxStaffMessageLength, {
      error: `Pesan paling panjang ${maxStaffMessageLength} karakter.`,
    })
    .optional(),
});

const optionalId = z.preprocess(
  (value) => (value === "" || value === undefined ? null : value),
  z.coerce.number().int().positive().nullable(),
);

const assignForm = z.object({ organisationId: optionalId.optional(), staffUserId: optionalId });

/** What the staff member chose or typed, shown again when the form has an error. */
interface Typed {
  status?: string;
  message?: string;
  organisationId?: string;
  staffUserId?: string;
}

const nobody = { value: "", label: "Belum ditentukan" };

/** One need: the resident's words and photo, history, status change and assignment. */
export function needRoutes(deps: ConsoleDeps): Router {
  const router = Router();

  async function needPage(
    res: Response,
    need: NeedDetail,
    options: { errors?: FieldErrors; typed?: Typed; status?: number } = {},
  ) {
    const staff = staffOf(res);
    const errors = options.errors ?? {};
    const choices = await assignmentChoices(deps.db, staff, need.assignedOrganisationId);
    const next = nextStatuses(need.status);
    renderPage(res, {
      title: `Laporan ${need.ticket}`,
      active: "laporan",
      status: options.status,
      body: html`<p><a href="/console/laporan">← Semua laporan</a></p>
<dl class="facts">
<dt>Kategori</dt><dd>${needCategoryLabel(need.category)}</dd>
<dt>Status</dt><dd><span class="badge">${needStatusLabels[need.status]}</span></dd>
<dt>Dikirim</dt><dd>${formatDateTime(need.createdAt)}</dd>
<dt>Wilayah</dt><dd>${areaLabel(need)}</dd>
<dt>Warga</dt><dd>${need.contactId === null ? html`<span class="muted">Data warga sudah dihapus atas permintaannya.</span>` : html`<a href="/console/warga/${need.contactId}">${need.residentName ?? "Tanpa nama"}</a>`}</dd>
<dt>Ditangani</dt><dd>${handlerLabel(need)}</dd>
</dl>
<h2>Kata-kata warga</h2>
${need.description === null ? html`<p class="muted">Tidak ada (sudah dihapus).</p>` : html`<blockquote class="words">${need.description}</blockquote>`}
${need.photoMediaId === null ? "" : html`<p class="photo"><a href="/console/media/${need.photoMediaId}"><img src="/console/media/${need.photoMediaId}" alt="Foto yang dikirim warga untuk ${need.ticket}"></a></p>`}
<h2>Riwayat status</h2>
<div class="table-wrap"><table>
<thead><tr><th>Waktu</th><th>Status</th><th>Oleh</th><th>Pesan ke warga</th></tr></thead>
<tbody>${need.history.map(
        (
          entry,
        ) => html`<tr><td>${formatDateTime(entry.createdAt)}</td><td>${needStatusLabels[entry.status]}</td>
<td>${entry.staffName ?? "Warga (lewat chat)"}</td><td class="words">${entry.message ?? ""}</td></tr>`,
      )}</tbody></table></div>
<h2>Ubah status</h2>
${
  next.length === 0
    ? html`<p class="muted">Laporan ini sudah ${needStatusLabels[need.status].toLowerCase()}; statusnya tidak diubah lagi.</p>`
    : html`<form method="post" action="/console/laporan/${need.id}/status" class="stack">
${csrfField(res)}
${selectField({ name: "status", label: "Status baru", value: options.typed?.status, error: errors.status, required: true, choices: next.map((s) => ({ value: s, label: needStatusLabels[s] })) })}
${textAreaField({ name: "message", label: "Pesan untuk warga (boleh kosong)", value: options.typed?.message, error: errors.message, hint: "Warga menerima kabar status ini di aplikasi chatnya, bersama pesan Anda." })}
<button type="submit">Simpan dan kabari warga</button>
</form>`
}
<h2>Penugasan</h2>
<form method="post" action="/console/laporan/${need.id}/tugaskan" class="stack">
${csrfField(res)}
${
  isAdmin(staff)
    ? selectField({
        name: "organisationId",
        label: "Organisasi",
        value: options.typed?.organisationId ?? need.assignedOrganisationId ?? "",
        error: errors.organisationId,
        choices: [
          nobody,
          ...choices.organisations.map((o) => ({ value: String(o.id), label: o.name })),
        ],
      })
    : ""
}
${selectField({
  name: "staffUserId",
  label: "Petugas",
  value: options.typed?.staffUserId ?? need.assignedStaffId ?? "",
  error: errors.staffUserId,
  hint: isAdmin(staff)
    ? "Petugas dari organisasi yang sudah dipilih; pilih organisasi dulu lalu simpan."
    : undefined,
  choices: [nobody, ...choices.staff.map((s) => ({ value: String(s.id), label: s.name }))],
})}
<button type="submit">Simpan penugasan</button>
</form>`,
    });
  }

  const needOf = async (res: Response, raw: string | undefined) => {
    const id = Number(raw);
    return Number.isSafeInteger(id) ? findNeed(deps.db, staffOf(res), id) : undefined;
  };
  const missing = (res: Response) => errorPage(res, 404, "Laporan ini tidak ada.");

  router.get("/console/laporan/:id", async (req, res) => {
    const need = await needOf(res, req.params.id);
    if (!need) return missing(res);
    await needPage(res, need);
  });

  router.post("/console/laporan/:id/status", async (req, res) => {
    const need = await needOf(res, req.params.id);
    if (!need) return missing(res);
    const typed = { status: req.body?.status, message: req.body?.message };
    const form = readForm(statusForm, req.body);
    if (!form.ok) return needPage(res, need, { errors: form.errors, typed, status: 400 });
    const result = await changeNeedStatus(deps.db, staffOf(res), {
      needId: need.id,
      status: form.data.status,
      message: form.data.message,
      now: deps.clock(),
    });
    if (!result.changed && result.reason === "not_found") return missing(res);
    if (!result.changed) {
      const errors = { status: "Status ini tidak bisa dipilih dari status sekarang." };
      return needPage(res, need, { errors, typed, status: 400 });
    }
    deps.wakeDelivery();
    redirectWithNotice(
      res,
      `/console/laporan/${need.id}`,
      result.notified
        ? `Status ${result.ticket} diubah menjadi "${needStatusLabels[form.data.status]}". Warga sudah dikabari.`
        : `Status ${result.ticket} diubah menjadi "${needStatusLabels[form.data.status]}". Warga tidak dapat dihubungi lewat chat.`,
    );
  });

  router.post("/console/laporan/:id/tugaskan", async (req, res) => {
    const need = await needOf(res, req.params.id);
    if (!need) return missing(res);
    const typed = { organisationId: req.body?.organisationId, staffUserId: req.body?.staffUserId };
    const form = readForm(assignForm, req.body);
    if (!form.ok) return needPage(res, need, { errors: form.errors, typed, status: 400 });
    const result = await assignNeed(deps.db, staffOf(res), {
      needId: need.id,
      ...(form.data.organisationId === undefined
        ? {}
        : { organisationId: form.data.organisationId }),
      staffUserId: form.data.staffUserId,
    });
    if (!result.assigned && result.reason === "not_found") return missing(res);
    if (!result.assigned) {
      const errors: FieldErrors =
        result.reason === "unknown_organisation"
          ? { organisationId: "Pilih organisasi dari daftar." }
          : { staffUserId: "Pilih petugas dari organisasi yang menangani laporan ini." };
      return needPage(res, need, { errors, typed, status: 400 });
    }
    redirectWithNotice(res, `/console/laporan/${need.id}`, `Penugasan ${need.ticket} disimpan.`);
  });
  return router;
}
