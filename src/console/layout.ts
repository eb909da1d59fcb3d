import type { Response } from "express";
import { isAdmin, type Staff } from "../staff/principal.js";
import { html, type SafeHtml } from "./html.js";
import { noticeOf } from "./notice.js";

interface NavItem {
  path: string;
  label: string;
}

/** The console's sections, in menu order. */
export const sections = {
  dasbor: { path: "/console", label: "Dasbor" },
  program: { path: "/console/program", label: "Program & jadwal" },
  laporan: { path: "/console/laporan", label: "Laporan kebutuhan" },
  warga: { path: "/console/warga", label: "Warga" },
  pengumuman: { path: "/console/pengumuman", label: "Pengumuman" },
  percakapan: { path: "/console/percakapan", label: "Percakapan" },
  saluran: { path: "/console/saluran", label: "Saluran" },
  flows: { path: "/console/flows", label: "Flows" },
  token: { path: "/console/token-api", label: "Token API" },
  akun: { path: "/console/akun", label: "Akun" },
} as const satisfies Record<string, NavItem>;

export type Section = keyof typeof sections;

/** A hidden field with the CSRF token; every console form includes it. */
export function csrfField(res: Response): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${res.locals.csrfToken as string}">`;
}

function document(
  title: string,
  body: SafeHtml,
  scripts: readonly string[] = [],
  refreshWithoutScript?: number,
): SafeHtml {
  return html`<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Berdaya</title>
<link rel="stylesheet" href="/console/assets/console.css">
${scripts.map((script) => html`<script src="/console/assets/${script}" defer></script>`)}
${refreshWithoutScript ? html`<noscript><meta http-equiv="refresh" content="${refreshWithoutScript}"></noscript>` : ""}
</head>
<body>
${body}
</body>
</html>`;
}

function navigation(res: Response, staff: Staff, active: Section | undefined): SafeHtml {
  const items: [string, NavItem][] = Object.entries(sections);
  return html`<header class="top">
<a class="brand" href="/console">Berdaya</a>
<span class="who">${staff.name} · ${isAdmin(staff) ? "Administrator" : staff.organisationName}</span>
<form method="post" action="/console/keluar" class="logout">${csrfField(res)}<button type="submit">Keluar</button></form>
</header>
<nav class="sections">
${items.map(
  ([key, item]) =>
    html`<a href="${item.path}"${key === active ? html` aria-current="page"` : ""}>${item.label}</a>`,
)}
</nav>`;
}

export interface PageOptions {
  title: string;
  body: SafeHtml;
  active?: Section;
  /** Script files from /console/assets that enhance the page; it must work without them. */
  scripts?: readonly string[];
  /** Without JavaScript, reload the page every so many seconds (e.g. while sending). */
  refreshWithoutScript?: number | undefined;
  status?: number | undefined;
}

/** Sends a console page for the logged-in staff member: menu, one-time notice, content. */
export function renderPage(res: Response, options: PageOptions): void {
  const staff = res.locals.staff as Staff;
  const notice = noticeOf(res);
  const body = html`${navigation(res, staff, options.active)}
<main>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
<h1>${options.title}</h1>
${options.body}
</main>`;
  res
    .status(options.status ?? 200)
    .type("html")
    .send(document(options.title, body, options.scripts, options.refreshWithoutScript).value);
}

/** A page outside the menu (login, errors): just the content. */
export function renderBare(res: Response, title: string, body: SafeHtml, status = 200): void {
  res
    .status(status)
    .type("html")
    .send(document(title, html`<main class="bare"><h1>${title}</h1>${body}</main>`).value);
}

export function errorPage(res: Response, status: number, message: string): void {
  const back = res.locals.staff ? html`<p><a href="/console">Kembali ke dasbor</a></p>` : "";
  renderBare(
    res,
    status === 404 ? "Tidak ditemukan" : "Tidak bisa diproses",
    html`<p>${message}</p>${back}`,
    status,
  );
}
