import { Router } from "express";
import { findNeedPhoto } from "../../domain/need-reports.js";
import type { ConsoleDeps } from "../deps.js";
import { errorPage } from "../layout.js";
import { staffOf } from "../session.js";

/**
 * Photos residents sent with a report, for staff who may see that report. Media lives in the
 * database, so there is no file path to traverse; anything else answers 404.
 */
export function mediaRoutes(deps: ConsoleDeps): Router {
  const router = Router();
  router.get("/console/media/:id", async (req, res) => {
    const id = Number(req.params.id);
    const photo = Number.isSafeInteger(id)
      ? await findNeedPhoto(deps.db, staffOf(res), id)
      : undefined;
    if (!photo) return errorPage(res, 404, "Foto ini tidak ada.");
    res
      .set({
        "Content-Type": photo.mimeType,
        "Content-Disposition": "inline",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
      })
      .send(Buffer.from(photo.bytes));
  });
  return router;
}
