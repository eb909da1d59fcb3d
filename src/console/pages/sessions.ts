import { type Response, Router } from "express";
import type { ManagedProgramme } from "../../domain/manage/programmes.js";
import {
  addSession,
  cancelSession,
  findManagedSession,
  type ManagedSession,
  moveSession,
  residentsToTell,
  type SessionInput,
} from "../../domain/manage/sessions.js";
import { formatDateTime } from "../../engine/format.js";
import type { ConsoleDeps } from "../deps.js";
import { type FieldErrors, readForm } from "../forms.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, errorPage, renderPage } from "../layout.js";
import { redirectWithNotice } from "../notice.js";
import { staffOf } from "../session.js";
import { programmeOr404 } from "./programmes.js";
import {
  type SessionFormValues,
  sessionFields,
  sessionForm,
  sessionProblemMessage,
  valuesOfSession,
} from "./session-form.js";

/** The session `:sid` of the programme `:id` when the staff member may see it; else a 404 page. */
export async function sessionOr404(
  deps: ConsoleDeps,
  res: Response,
  params: { id?: string; sid?: string },
): Promise<{ programme: ManagedProgramme; session: ManagedSession } | undefined> {
  const programme = await programmeOr404(deps, res, params.id);
  if (!programme) return undefined;
  const sessionId = Number(params.sid);
  const session = Number.isSafeInteger(sessionId)
    ? await findManagedSession(deps.db, staffOf(res), sessionId)
    : undefined;
  if (session?.programmeId === programme.id) return { programme, session };
  errorPage(res, 404, "Sesi ini tidak ada.");
  return undefined;
}

const toldLine = (count: number) =>
  count > 0
    ? `${count} peserta akan menerima pemberitahuan`
    : "Tidak ada peserta yang perlu diberi tahu";

/** Sessions of a programme: add, move and cancel, each change confirmed with who will be told. */
export function sessionRoutes(deps: ConsoleDeps): Router {
  const router = Router();

  function formPage(
    res: Response,
    options: {
      programme: ManagedProgramme;
      title: string;
      action: string;
      intro?: SafeHtml;
      values: SessionFormValues;
      errors?: FieldErrors;
      status?: number;
    },
  ) {
    renderPage(res, {
      title: options.title,
      active: "program",
      status: options.status,
      body: html`<p><a href="/console/program/${options.programme.id}">← ${options.programme.title}</a></p>
${options.intro ?? ""}
<form method="post" action="${options.action}" class="stack">
${csrfField(res)}
${sessionFields(options.values, options.errors ?? {})}
<button type="submit">Lanjut</button>
</form>`,
    });
  }

  router.get("/console/program/:id/sesi/baru", async (req, res) => {
    const programme = await programmeOr404(deps, res, req.params.id);
    if (!programme) return;
    formPage(res, {
      programme,
      title: "Tambah sesi",
      action: `/console/program/${programme.id}/sesi`,
      values: { start: "08:00", end: "16:00" },
    });
  });

  router.post("/console/program/:id/sesi", async (req, res) => {
    const programme = await programmeOr404(deps, res, req.params.id);
    if (!programme) return;
    const values = req.body as SessionFormValues;
    const page = { programme, title: "Tambah sesi", action: req.originalUrl, values, status: 400 };
    const form = readForm(sessionForm, req.body);
    if (!form.ok) return formPage(res, { ...page, errors: form.errors });
    const saved = await addSession(deps.db, staffOf(res), programme.id, form.data, deps.clock());
    if (saved.result === "invalid")
      return formPage(res, { ...page, errors: sessionProblemMessage(saved) });
    if (saved.result !== "saved") return errorPage(res, 404, "Program ini tidak ada.");
    redirectWithNotice(
      res,
      `/console/program/${programme.id}`,
      `Sesi ${formatDateTime(form.data.startsAt)} sudah ditambahkan. Pengingat dikirim otomatis kepada peserta.`,
    );
  });

  router.get("/console/program/:id/sesi/:sid/pindah", async (req, res) => {
    const found = await sessionOr404(deps, res, req.params);
    if (!found) return;
    formPage(res, {
      programme: found.programme,
      title: "Pindah sesi",
      action: req.originalUrl,
      intro: html`<p>Jadwal sekarang: ${formatDateTime(found.session.startsAt)}.</p>`,
      values: valuesOfSession(found.session),
    });
  });

  /** Without `konfirmasi` the page says who will be told; with it, the move is made. */
  router.post("/console/program/:id/sesi/:sid/pindah", async (req, res) => {
    const found = await sessionOr404(deps, res, req.params);
    if (!found) return;
    const { programme, session } = found;
    const values = req.body as SessionFormValues;
    const page = { programme, title: "Pindah sesi", action: req.originalUrl, values, status: 400 };
    const form = readForm(sessionForm, req.body);
    if (!form.ok) return formPage(res, { ...page, errors: form.errors });
    const now = deps.clock();
    if (req.body?.konfirmasi !== "ya") {
      const sameStart = form.data.startsAt.getTime() === session.startsAt.getTime();
      const told = sameStart ? 0 : await residentsToTell(deps.db, session, form.data.startsAt, now);
      return confirmMove(res, programme, session, form.data, told);
    }
    const moved = await moveSession(deps.db, staffOf(res), session.id, form.data, now);
    if (moved.result === "invalid")
      return formPage(res, { ...page, errors: sessionProblemMessage(moved) });
    if (moved.result !== "saved") return errorPage(res, 404, "Sesi ini tidak ada.");
    deps.wakeDelivery();
    redirectWithNotice(
      res,
      `/console/program/${programme.id}`,
      `Sesi dipindah ke ${formatDateTime(form.data.startsAt)}. ${moved.notified} peserta diberi tahu.`,
    );
  });

  function confirmMove(
    res: Response,
    programme: ManagedProgramme,
    session: ManagedSession,
    input: SessionInput,
    told: number,
  ) {
    const values = valuesOfSession(input);
    renderPage(res, {
      title: "Pindah sesi?",
      active: "program",
      body: html`<p>${programme.title}: dari <strong>${formatDateTime(session.startsAt)}</strong> ke <strong>${formatDateTime(input.startsAt)}</strong>.</p>
<p class="notice">${toldLine(told)}.</p>
<form method="post" action="/console/program/${programme.id}/sesi/${session.id}/pindah" class="stack">
${csrfField(res)}
${Object.entries(values).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<input type="hidden" name="konfirmasi" value="ya">
<p><button type="submit">Ya, pindahkan sesi</button> <a href="/console/program/${programme.id}">Jangan pindahkan</a></p>
</form>`,
    });
  }

  router.get("/console/program/:id/sesi/:sid/batal", async (req, res) => {
    const found = await sessionOr404(deps, res, req.params);
    if (!found) return;
    const { programme, session } = found;
    const told = await residentsToTell(deps.db, session, session.startsAt, deps.clock());
    renderPage(res, {
      title: "Batalkan sesi?",
      active: "program",
      body: html`<p>${programme.title}: sesi <strong>${formatDateTime(session.startsAt)}</strong> akan dibatalkan.</p>
<p class="notice">${toldLine(told)}.</p>
<form method="post" action="/console/program/${programme.id}/sesi/${session.id}/batal">
${csrfField(res)}
<p><button type="submit" class="danger">Ya, batalkan sesi</button> <a href="/console/program/${programme.id}">Jangan batalkan</a></p>
</form>`,
    });
  });

  router.post("/console/program/:id/sesi/:sid/batal", async (req, res) => {
    const found = await sessionOr404(deps, res, req.params);
    if (!found) return;
    const cancelled = await cancelSession(deps.db, staffOf(res), found.session.id, deps.clock());
    if (cancelled.result !== "saved") return errorPage(res, 404, "Sesi ini tidak ada.");
    deps.wakeDelivery();
    redirectWithNotice(
      res,
      `/console/program/${found.programme.id}`,
      `Sesi ${formatDateTime(found.session.startsAt)} dibatalkan. ${cancelled.notified} peserta diberi tahu.`,
    );
  });
  return router;
}
