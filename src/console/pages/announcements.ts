import { type Response, Router } from "express";
import {
  AnnouncementError,
  announce,
  broadcastOrganisation,
  previewAnnouncement,
} from "../../domain/announcements.js";
import {
  broadcastProgress,
  broadcastRecipients,
  cancelBroadcast,
  findBroadcast,
} from "../../domain/broadcasts/index.js";
import { listBroadcasts } from "../../domain/broadcasts/list.js";
import { formatDateTime } from "../../engine/format.js";
import { isAdmin, type Staff } from "../../staff/principal.js";
import type { ConsoleDeps } from "../deps.js";
import { html } from "../html.js";
import { errorPage, renderPage } from "../layout.js";
import { redirectWithNotice } from "../notice.js";
import { staffOf } from "../session.js";
import { audienceChoices } from "./announcement-audience.js";
import {
  announcementFromForm,
  channelLimits,
  type FormBody,
  formFieldOf,
  previewSection,
  renderCompose,
} from "./announcement-compose.js";
import {
  audienceSummary,
  broadcastStatusLabels,
  recipientsPerPage,
  renderDetail,
} from "./announcement-detail.js";

const perPage = 50;

const pageNumber = (value: unknown) => {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : 1;
};

/** Pengumuman: announcements to residents — list, compose with a live count, progress, cancel. */
export function announcementRoutes(deps: ConsoleDeps): Router {
  const router = Router();

  router.get("/console/pengumuman", async (req, res) => {
    const staff = staffOf(res);
    const page = pageNumber(req.query.halaman);
    const listed = await listBroadcasts(deps.db, {
      organisationId: isAdmin(staff) ? undefined : staff.organisationId,
      limit: perPage,
      offset: (page - 1) * perPage,
    });
    const choices = await audienceChoices(deps.db, staff);
    const pages = Math.max(1, Math.ceil(listed.total / perPage));
    renderPage(res, {
      title: "Pengumuman",
      active: "pengumuman",
      body: html`<p><a class="button" href="/console/pengumuman/baru">Buat pengumuman</a></p>
<div class="table-wrap"><table>
<thead><tr><th>Judul</th><th>Penerima</th><th>Status</th><th>Waktu kirim</th><th>Kemajuan</th></tr></thead>
<tbody>
${listed.broadcasts.map((b) => {
  const percent = b.total === 0 ? 0 : Math.floor(((b.total - b.queued) * 100) / b.total);
  return html`<tr><td><a href="/console/pengumuman/${b.id}">${b.title}</a></td>
<td>${audienceSummary(b.audience, choices)}</td><td>${broadcastStatusLabels[b.status]}</td>
<td>${formatDateTime(b.scheduledAt ?? b.createdAt)}</td>
<td>${b.total > 0 ? html`<progress max="100" value="${percent}">${percent}%</progress> ${b.total - b.queued}/${b.total}` : "–"}</td></tr>`;
})}
${listed.total === 0 ? html`<tr><td colspan="5" class="muted">Belum ada pengumuman.</td></tr>` : ""}
</tbody></table></div>
${pages > 1 ? html`<p>Halaman ${page} dari ${pages}${page < pages ? html` · <a href="/console/pengumuman?halaman=${page + 1}">Berikutnya →</a>` : ""}</p>` : ""}`,
    });
  });

  router.get("/console/pengumuman/baru", async (_req, res) => renderCompose(deps, res));

  /** The preview for the posted form, or the errors by form field. */
  async function preview(staff: Staff, body: FormBody) {
    const form = announcementFromForm(body);
    if (!form.ok) return { ok: false as const, errors: form.errors };
    try {
      const result = await previewAnnouncement(deps.db, staff, {
        audience: form.input.audience,
        now: deps.clock(),
        limits: channelLimits(deps),
      });
      return { ok: true as const, preview: result };
    } catch (error) {
      if (!(error instanceof AnnouncementError)) throw error;
      return { ok: false as const, errors: { [formFieldOf(error.field)]: error.message } };
    }
  }

  router.post("/console/pengumuman/baru", async (req, res) => {
    const staff = staffOf(res);
    const body = (req.body ?? {}) as FormBody;
    if (body.action !== "send") {
      const counted = await preview(staff, body);
      return counted.ok
        ? renderCompose(deps, res, { body, preview: counted.preview })
        : renderCompose(deps, res, { body, errors: counted.errors, status: 400 });
    }
    const form = announcementFromForm(body);
    if (!form.ok) return renderCompose(deps, res, { body, errors: form.errors, status: 400 });
    try {
      const result = await announce(deps.db, staff, form.input, deps.clock());
      if (result.kind === "queued") deps.wakeDelivery();
      redirectWithNotice(
        res,
        `/console/pengumuman/${result.broadcastId}`,
        result.kind === "queued"
          ? `Pengumuman sedang dikirim ke ${result.queued} warga.`
          : `Pengumuman dijadwalkan ${formatDateTime(result.sendAt)}.`,
      );
    } catch (error) {
      if (!(error instanceof AnnouncementError)) throw error;
      const errors = { [formFieldOf(error.field)]: error.message };
      await renderCompose(deps, res, { body, errors, status: 400 });
    }
  });

  /** JSON for pengumuman.js: the live count and the rendered preview as filters change. */
  router.post("/console/pengumuman/pratinjau", async (req, res) => {
    const counted = await preview(staffOf(res), (req.body ?? {}) as FormBody);
    if (!counted.ok) return void res.status(400).json({ errors: counted.errors });
    res.json({
      count: counted.preview.count,
      byChannel: counted.preview.byChannel,
      html: previewSection(counted.preview, req.body as FormBody).value,
    });
  });

  /** The broadcast's organisation if the staff member may see it; a 404 page otherwise. */
  async function scope(res: Response, id: unknown): Promise<number | undefined> {
    const organisationId = await broadcastOrganisation(deps.db, staffOf(res), Number(id));
    if (organisationId === undefined) errorPage(res, 404, "Pengumuman ini tidak ada.");
    return organisationId;
  }

  router.get("/console/pengumuman/:id", async (req, res) => {
    const organisationId = await scope(res, req.params.id);
    if (organisationId === undefined) return;
    const broadcastId = Number(req.params.id);
    const page = pageNumber(req.query.halaman);
    const broadcast = await findBroadcast(deps.db, organisationId, broadcastId);
    const progress = await broadcastProgress(deps.db, { organisationId, broadcastId });
    const recipients = await broadcastRecipients(deps.db, {
      organisationId,
      broadcastId,
      limit: recipientsPerPage,
      offset: (page - 1) * recipientsPerPage,
    });
    if (!broadcast || !progress || !recipients)
      return errorPage(res, 404, "Pengumuman ini tidak ada.");
    renderDetail(res, {
      broadcast,
      progress,
      recipients,
      page,
      choices: await audienceChoices(deps.db, staffOf(res)),
    });
  });

  router.get("/console/pengumuman/:id/progres", async (req, res) => {
    const organisationId = await broadcastOrganisation(
      deps.db,
      staffOf(res),
      Number(req.params.id),
    );
    const progress =
      organisationId === undefined
        ? undefined
        : await broadcastProgress(deps.db, { organisationId, broadcastId: Number(req.params.id) });
    if (!progress) return void res.status(404).json({ error: "not_found" });
    res.set("Cache-Control", "no-store").json({
      ...progress,
      statusLabel: broadcastStatusLabels[progress.status],
    });
  });

  router.post("/console/pengumuman/:id/batal", async (req, res) => {
    const organisationId = await scope(res, req.params.id);
    if (organisationId === undefined) return;
    const result = await cancelBroadcast(deps.db, {
      organisationId,
      broadcastId: Number(req.params.id),
      now: deps.clock(),
      cancelledBy: staffOf(res).id,
    });
    if (result.kind === "not_found") return errorPage(res, 404, "Pengumuman ini tidak ada.");
    redirectWithNotice(
      res,
      `/console/pengumuman/${req.params.id}`,
      result.kind === "cancelled"
        ? `Pengumuman dibatalkan; ${result.withdrawn} pesan yang belum terkirim ditarik.`
        : `Pengumuman tidak bisa dibatalkan: sudah ${broadcastStatusLabels[result.status].toLowerCase()}.`,
    );
  });

  return router;
}
