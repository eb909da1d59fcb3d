import type { NextFunction, Request, RequestHandler, Response } from "express";
import { isAdmin, type StaffMember } from "../staff/principal.js";
import { derive, randomToken, sameSecret } from "../staff/secrets.js";
import { sessionLifetimeMs, staffForSession } from "../staff/sessions.js";
import { readCookie } from "./cookies.js";
import type { ConsoleDeps } from "./deps.js";
import { errorPage } from "./layout.js";

export const sessionCookie = "berdaya_sesi";
/** Before login there is no session; the login form's CSRF token derives from this cookie. */
const loginCookie = "berdaya_masuk";

interface ConsoleLocals {
  staff?: StaffMember;
  sessionToken?: string;
  csrfToken: string;
}

const locals = (res: Response): ConsoleLocals => res.locals as ConsoleLocals;

/** The logged-in staff member (only behind `requireStaff`). */
export function staffOf(res: Response): StaffMember {
  const staff = locals(res).staff;
  if (!staff) throw new Error("staffOf used on a route without requireStaff");
  return staff;
}

/** The token in the session cookie, if the request has a valid session. */
export function sessionTokenOf(res: Response): string | undefined {
  return locals(res).sessionToken;
}

/** The token every console form carries in its hidden `_csrf` field. */
export function csrfTokenOf(res: Response): string {
  return locals(res).csrfToken;
}

export function setSessionCookie(res: Response, deps: ConsoleDeps, token: string): void {
  res.cookie(sessionCookie, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: deps.secureCookies,
    path: "/",
    maxAge: sessionLifetimeMs,
  });
}

export function clearSessionCookie(res: Response, deps: ConsoleDeps): void {
  res.clearCookie(sessionCookie, {
    httpOnly: true,
    sameSite: "lax",
    secure: deps.secureCookies,
    path: "/",
  });
}

/** Finds who is logged in (if anyone) and the CSRF token their forms must carry. */
export function loadSession(deps: ConsoleDeps): RequestHandler {
  return async (req, res, next) => {
    const token = readCookie(req, sessionCookie);
    const staff = token ? await staffForSession(deps.db, token, deps.clock()) : undefined;
    if (staff && token) {
      Object.assign(res.locals, { staff, sessionToken: token, csrfToken: derive(token, "csrf") });
      return next();
    }
    let loginSecret = readCookie(req, loginCookie);
    if (!loginSecret) {
      loginSecret = randomToken();
      res.cookie(loginCookie, loginSecret, {
        httpOnly: true,
        sameSite: "strict",
        secure: deps.secureCookies,
        path: "/console",
      });
    }
    locals(res).csrfToken = derive(loginSecret, "csrf");
    next();
  };
}

/** Refuses a form or request that does not carry this session's CSRF token. */
export function checkCsrf(req: Request, res: Response, next: NextFunction): void {
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get("x-csrf-token");
  const safeMethod = req.method === "GET" || req.method === "HEAD";
  if (safeMethod || (typeof sent === "string" && sameSecret(sent, csrfTokenOf(res)))) next();
  else
    errorPage(
      res,
      403,
      "Formulir tidak sah atau sudah kedaluwarsa. Muat ulang halaman lalu coba lagi.",
    );
}

export function requireStaff(req: Request, res: Response, next: NextFunction): void {
  if (locals(res).staff) next();
  else if (req.method !== "GET")
    errorPage(res, 401, "Sesi Anda sudah berakhir. Silakan masuk lagi.");
  else res.redirect(303, `/console/masuk?lanjut=${encodeURIComponent(req.originalUrl)}`);
}

export function requireAdmin(_req: Request, res: Response, next: NextFunction): void {
  if (isAdmin(staffOf(res))) next();
  else errorPage(res, 403, "Halaman ini hanya untuk administrator.");
}
