import { Router } from "express";
import { z } from "zod";
import { AccountError, changePassword } from "../../staff/accounts.js";
import { recordAudit } from "../../staff/audit.js";
import { minPasswordLength } from "../../staff/passwords.js";
import { endOtherSessions } from "../../staff/sessions.js";
import type { ConsoleDeps } from "../deps.js";
import { type FieldErrors, inputField, readForm } from "../forms.js";
import { html } from "../html.js";
import { csrfField, renderPage } from "../layout.js";
import { redirectWithNotice } from "../notice.js";
import { sessionTokenOf, staffOf } from "../session.js";

const passwordForm = z
  .object({
    current: z.string().min(1, { error: "Isi kata sandi lama." }),
    next: z.string().min(minPasswordLength, {
      error: `Kata sandi baru minimal ${minPasswordLength} karakter.`,
    }),
    repeat: z.string(),
  })
  .refine((form) => form.next === form.repeat, {
    path: ["repeat"],
    error: "Ulangi kata sandi baru persis sama.",
  });

function accountPage(
  res: Parameters<typeof renderPage>[0],
  errors: FieldErrors = {},
  status = 200,
) {
  const staff = staffOf(res);
  renderPage(res, {
    title: "Akun",
    active: "akun",
    status,
    body: html`<dl class="facts">
<dt>Nama</dt><dd>${staff.name}</dd>
<dt>Email</dt><dd>${staff.email}</dd>
<dt>Organisasi</dt><dd>${staff.organisationName}</dd>
<dt>Peran</dt><dd>${staff.role === "admin" ? "Administrator" : "Petugas"}</dd>
</dl>
<h2>Ganti kata sandi</h2>
<form method="post" action="/console/akun/kata-sandi" class="stack">
${csrfField(res)}
${inputField({ name: "current", label: "Kata sandi lama", type: "password", autocomplete: "current-password", error: errors.current, required: true })}
${inputField({ name: "next", label: "Kata sandi baru", type: "password", autocomplete: "new-password", hint: `Minimal ${minPasswordLength} karakter.`, error: errors.next, required: true })}
${inputField({ name: "repeat", label: "Ulangi kata sandi baru", type: "password", autocomplete: "new-password", error: errors.repeat, required: true })}
<button type="submit">Simpan kata sandi</button>
</form>`,
  });
}

/** The staff member's own account: details and password change. */
export function accountRoutes(deps: ConsoleDeps): Router {
  const router = Router();
  router.get("/console/akun", (_req, res) => accountPage(res));
  router.post("/console/akun/kata-sandi", async (req, res) => {
    const staff = staffOf(res);
    const form = readForm(passwordForm, req.body);
    if (!form.ok) return accountPage(res, form.errors, 400);
    try {
      await changePassword(deps.db, staff.id, form.data.current, form.data.next);
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      return accountPage(res, { current: error.message }, 400);
    }
    await endOtherSessions(deps.db, staff.id, sessionTokenOf(res) ?? "");
    await recordAudit(deps.db, staff, {
      action: "staff.password_change",
      subjectType: "staff_user",
      subjectId: staff.id,
    });
    redirectWithNotice(
      res,
      "/console/akun",
      "Kata sandi sudah diganti. Sesi di perangkat lain sudah diakhiri.",
    );
  });
  return router;
}
