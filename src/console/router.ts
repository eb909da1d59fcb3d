import { fileURLToPath } from "node:url";
import express, { type ErrorRequestHandler, Router } from "express";
import type { ConsoleDeps } from "./deps.js";
import { errorPage } from "./layout.js";
import { takeNotice } from "./notice.js";
import { accountRoutes } from "./pages/account.js";
import { announcementRoutes } from "./pages/announcements.js";
import { attendanceRoutes } from "./pages/attendance.js";
import { channelRoutes } from "./pages/channels.js";
import { conversationRoutes } from "./pages/conversations.js";
import { dashboardRoutes } from "./pages/dashboard.js";
import { flowRoutes } from "./pages/flows.js";
import { loginRoutes } from "./pages/login.js";
import { mediaRoutes } from "./pages/media.js";
import { needRoutes } from "./pages/need.js";
import { needListRoutes } from "./pages/needs.js";
import { participantRoutes } from "./pages/participants.js";
import { programmeRoutes } from "./pages/programmes.js";
import { residentRoutes } from "./pages/resident.js";
import { residentListRoutes } from "./pages/residents.js";
import { sessionRoutes } from "./pages/sessions.js";
import { tokenRoutes } from "./pages/tokens.js";
import { checkCsrf, loadSession, requireStaff } from "./session.js";

const assetsFolder = fileURLToPath(new URL("./assets", import.meta.url));

/** The pages behind login, each section its own router. */
const sectionRoutes: readonly ((deps: ConsoleDeps) => Router)[] = [
  dashboardRoutes,
  programmeRoutes,
  sessionRoutes,
  participantRoutes,
  attendanceRoutes,
  announcementRoutes,
  conversationRoutes,
  channelRoutes,
  flowRoutes,
  needListRoutes,
  needRoutes,
  mediaRoutes,
  residentListRoutes,
  residentRoutes,
  tokenRoutes,
  accountRoutes,
];

/**
 * The staff console under /console: server-rendered Indonesian pages that work without
 * JavaScript. Every page needs a login; every form carries a CSRF token.
 */
export function consoleRoutes(deps: ConsoleDeps): Router {
  const router = Router();
  router.use("/console/assets", express.static(assetsFolder, { index: false, maxAge: "1h" }));
  router.use(
    "/console",
    express.urlencoded({ extended: false, limit: "256kb" }),
    loadSession(deps),
    takeNotice,
  );
  router.use(loginRoutes(deps));
  router.use("/console", requireStaff, checkCsrf);
  for (const routes of sectionRoutes) router.use(routes(deps));
  router.use("/console", (_req, res) => errorPage(res, 404, "Halaman ini tidak ada."));
  const handleError: ErrorRequestHandler = (error, req, res, _next) => {
    const status = typeof error?.status === "number" ? error.status : 500;
    if (status === 413) {
      errorPage(res, 413, "Isian formulir terlalu besar. Perpendek teksnya lalu coba lagi.");
    } else if (status >= 400 && status < 500) {
      errorPage(res, 400, "Formulir tidak bisa dibaca. Muat ulang halaman lalu coba lagi.");
    } else {
      deps.log.error({ err: error, path: req.path }, "console page failed");
      errorPage(res, 500, "Maaf, terjadi kesalahan. Coba lagi sebentar lagi.");
    }
  };
  router.use("/console", handleError);
  return router;
}
