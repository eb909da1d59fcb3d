import { Router } from "express";
import type { ConsoleDeps } from "../deps.js";
import { html } from "../html.js";
import { renderPage, sections } from "../layout.js";
import { staffOf } from "../session.js";

/** Dasbor: the start page after login. */
export function dashboardRoutes(_deps: ConsoleDeps): Router {
  const router = Router();
  router.get("/console", (_req, res) => {
    const staff = staffOf(res);
    renderPage(res, {
      title: "Dasbor",
      active: "dasbor",
      body: html`<p>Selamat datang, ${staff.name}.</p>
<ul>${Object.values(sections).map((section) => html`<li><a href="${section.path}">${section.label}</a></li>`)}</ul>`,
    });
  });
  return router;
}
