import { Router } from "express";
import { z } from "zod";
import { authenticate } from "../../staff/accounts.js";
import { endSession, startSession } from "../../staff/sessions.js";
import type { ConsoleDeps } from "../deps.js";
import { readForm } from "../forms.js";
import { html } from "../html.js";
import { csrfField, renderBare } from "../layout.js";
import { checkCsrf, clearSessionCookie, sessionTokenOf, setSessionCookie } from "../session.js";

const loginForm = z.object({
  email: z.string().trim().min(1, { error: "Isi email Anda." }),
  password: z.string().min(1, { error: "Isi kata sandi Anda." }),
  lanjut: z.string().optional(),
});

/** Only a path inside the console, so the login cannot redirect elsewhere. */
function safeNext(next: string | undefined): string {
  return next?.startsWith("/console") && !next.startsWith("//") ? next : "/console";
}

function loginPage(
  res: Parameters<typeof renderBare>[0],
  options: { email?: string; next?: string; error?: string; status?: number },
): void {
  renderBare(
    res,
    "Masuk ke konsol Berdaya",
    html`${options.error ? html`<p class="field-error" role="alert">${options.error}</p>` : ""}
<form method="post" action="/console/masuk" class="stack">
${csrfField(res)}
<input type="hidden" name="lanjut" value="${safeNext(options.next)}">
<label class="field"><span>Email</span><input type="email" name="email" value="${options.email ?? ""}" autocomplete="username" required></label>
<label class="field"><span>Kata sandi</span><input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Masuk</button>
</form>`,
    options.status,
  );
}

/** Login (with slowed-down retries after failures) and logout. */
export function loginRoutes(deps: ConsoleDeps): Router {
  const router = Router();
  router.get("/console/masuk", (req, res) => {
    if (res.locals.staff) return res.redirect(303, "/console");
    loginPage(res, { next: typeof req.query.lanjut === "string" ? req.query.lanjut : undefined });
  });

  router.post("/console/masuk", checkCsrf, async (req, res) => {
    const form = readForm(loginForm, req.body);
    if (!form.ok) {
      const email = typeof req.body?.email === "string" ? req.body.email : "";
      return loginPage(res, { email, error: Object.values(form.errors)[0], status: 400 });
    }
    const { email, password, lanjut } = form.data;
    const attempt = { email, address: req.ip ?? "" };
    const waitMs = deps.throttle.retryAfterMs(attempt);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      res.set("Retry-After", String(seconds));
      return loginPage(res, {
        email,
        next: lanjut,
        error: `Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam ${seconds} detik.`,
        status: 429,
      });
    }
    const staff = await authenticate(deps.db, email, password);
    if (!staff) {
      deps.throttle.failed(attempt);
      deps.log.info({ event: "login_failed" }, "console login failed");
      return loginPage(res, {
        email,
        next: lanjut,
        error: "Email atau kata sandi salah.",
        status: 401,
      });
    }
    deps.throttle.succeeded(attempt);
    // A new session token on every login: a token planted before login is never adopted.
    const previous = sessionTokenOf(res);
    if (previous) await endSession(deps.db, previous);
    setSessionCookie(res, deps, await startSession(deps.db, staff.id, deps.clock()));
    res.redirect(303, safeNext(lanjut));
  });

  router.post("/console/keluar", checkCsrf, async (_req, res) => {
    const token = sessionTokenOf(res);
    if (token) await endSession(deps.db, token);
    clearSessionCookie(res, deps);
    res.redirect(303, "/console/masuk");
  });
  return router;
}
