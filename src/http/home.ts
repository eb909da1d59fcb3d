import { Router } from "express";

/** GET /: a short Indonesian page pointing staff to what this server offers. */
export function homeRoutes({ simulator }: { simulator: boolean }): Router {
  const router = Router();
  const simulatorLink = simulator
    ? '<li><a href="/simulator">Simulator chat</a>: coba percakapan warga tanpa WhatsApp atau Telegram.</li>'
    : "<li>Simulator chat tidak aktif di server ini (SIMULATOR_ENABLED).</li>";
  const page = `<!doctype html>
<html lang="id">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Berdaya</title></head>
<body>
<h1>Berdaya</h1>
<p>Layanan chat program pemberdayaan warga Kota Balikpapan.</p>
<ul>
${simulatorLink}
<li><a href="/readyz">Status layanan</a></li>
</ul>
</body>
</html>`;
  router.get("/", (_req, res) => {
    res.type("html").send(page);
  });
  return router;
}
