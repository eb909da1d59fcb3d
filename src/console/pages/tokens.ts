import { asc } from "drizzle-orm";
import { Router } from "express";
import { z } from "zod";
import { organisations } from "../../db/schema/index.js";
import { formatDateTime } from "../../engine/format.js";
import { createApiToken, listApiTokens, revokeApiToken } from "../../staff/api-tokens.js";
import { isAdmin } from "../../staff/principal.js";
import type { ConsoleDeps } from "../deps.js";
import { type FieldErrors, inputField, readForm, selectField } from "../forms.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, errorPage, renderPage } from "../layout.js";
import { redirectWithNotice } from "../notice.js";
import { staffOf } from "../session.js";

const newTokenForm = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: "Beri nama token, misalnya nama sistem yang memakainya." })
    .max(100),
  organisationId: z.coerce.number().int().positive().optional(),
});

/** Token API: bearer tokens for other systems, shown once, stored hashed, revocable. */
export function tokenRoutes(deps: ConsoleDeps): Router {
  const router = Router();

  async function tokensPage(
    res: Parameters<typeof renderPage>[0],
    options: { errors?: FieldErrors; name?: string; created?: string; status?: number } = {},
  ) {
    const staff = staffOf(res);
    const tokens = await listApiTokens(deps.db, staff);
    const organisationChoices = isAdmin(staff)
      ? await deps.db
          .select({ value: organisations.id, label: organisations.name })
          .from(organisations)
          .orderBy(asc(organisations.name))
      : [];
    const created: SafeHtml | string = options.created
      ? html`<div class="notice" role="status"><p>Token baru (hanya ditampilkan sekali, simpan sekarang):</p>
<p><code class="token">${options.created}</code></p></div>`
      : "";
    renderPage(res, {
      title: "Token API",
      active: "token",
      status: options.status,
      body: html`${created}
<p>Sistem lain memakai token ini untuk <a href="/api/v1/openapi.json">API Berdaya</a> dengan header <code>Authorization: Bearer …</code>. Token hanya berlaku untuk satu organisasi.</p>
<div class="table-wrap"><table>
<thead><tr><th>Nama</th><th>Organisasi</th><th>Dibuat</th><th>Status</th><th></th></tr></thead>
<tbody>
${tokens.map(
  (
    token,
  ) => html`<tr><td>${token.name}</td><td>${token.organisationName}</td><td>${formatDateTime(token.createdAt)}</td>
<td>${token.revokedAt ? `Dicabut ${formatDateTime(token.revokedAt)}` : "Aktif"}</td>
<td>${
    token.revokedAt
      ? ""
      : html`<form method="post" action="/console/token-api/${token.id}/cabut" class="inline">${csrfField(res)}<button type="submit" class="danger">Cabut</button></form>`
  }</td></tr>`,
)}
${tokens.length === 0 ? html`<tr><td colspan="5" class="muted">Belum ada token.</td></tr>` : ""}
</tbody></table></div>
<h2>Buat token baru</h2>
<form method="post" action="/console/token-api" class="stack">
${csrfField(res)}
${inputField({ name: "name", label: "Nama token", value: options.name, error: options.errors?.name, required: true })}
${
  isAdmin(staff)
    ? selectField({
        name: "organisationId",
        label: "Organisasi",
        value: String(staff.organisationId),
        choices: organisationChoices.map((o) => ({ value: String(o.value), label: o.label })),
      })
    : ""
}
<button type="submit">Buat token</button>
</form>`,
    });
  }

  router.get("/console/token-api", async (_req, res) => tokensPage(res));

  router.post("/console/token-api", async (req, res) => {
    const staff = staffOf(res);
    const form = readForm(newTokenForm, req.body);
    if (!form.ok)
      return tokensPage(res, { errors: form.errors, name: req.body?.name, status: 400 });
    const organisationId = isAdmin(staff)
      ? (form.data.organisationId ?? staff.organisationId)
      : staff.organisationId;
    const created = await createApiToken(deps.db, staff, { organisationId, name: form.data.name });
    if (!created) return errorPage(res, 404, "Organisasi ini tidak ada.");
    await tokensPage(res, { created: created.token, status: 201 });
  });

  router.post("/console/token-api/:id/cabut", async (req, res) => {
    const id = Number(req.params.id);
    const revoked =
      Number.isInteger(id) && (await revokeApiToken(deps.db, staffOf(res), id, deps.clock()));
    if (!revoked) return errorPage(res, 404, "Token ini tidak ada.");
    redirectWithNotice(res, "/console/token-api", "Token sudah dicabut.");
  });
  return router;
}
