import type { RequestHandler, Response } from "express";
import { readCookie } from "./cookies.js";

const noticeCookie = "berdaya_pesan";

/** Redirects after a successful form, with a one-time message shown on the next page. */
export function redirectWithNotice(res: Response, path: string, notice: string): void {
  res.cookie(noticeCookie, notice.slice(0, 300), {
    httpOnly: true,
    sameSite: "lax",
    path: "/console",
  });
  res.redirect(303, path);
}

/** Takes the one-time message (if any) for this page and clears it. */
export const takeNotice: RequestHandler = (req, res, next) => {
  const notice = readCookie(req, noticeCookie);
  if (notice !== undefined) {
    res.locals.notice = notice;
    res.clearCookie(noticeCookie, { path: "/console" });
  }
  next();
};

export function noticeOf(res: Response): string | undefined {
  return typeof res.locals.notice === "string" ? res.locals.notice : undefined;
}
