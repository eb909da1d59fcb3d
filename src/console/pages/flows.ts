import { Router } from "express";
import { checkFlows } from "../../core.js";
import type { Flow } from "../../engine/flow-schema.js";
import type { ConsoleDeps } from "../deps.js";
import { html, type SafeHtml } from "../html.js";
import { renderPage } from "../layout.js";

/** Flows started by a global word rather than a trigger: what to type to try them. */
const commandWords: Readonly<Record<string, string>> = {
  menu: "MENU",
  bantuan: "BANTUAN",
  berhenti: "BERHENTI",
  langganan: "LANGGANAN",
  data_saya: "DATA SAYA",
  hapus_data: "HAPUS DATA",
};

function tryLink(flow: Flow, simulator: boolean): SafeHtml | string {
  const word = flow.triggers?.[0] ?? commandWords[flow.id];
  if (!word) return html`<span class="muted">dibuka dari flow lain</span>`;
  if (!simulator) return html`ketik <code>${word}</code>`;
  return html`<a href="/simulator?mulai=${encodeURIComponent(word)}">Coba: ${word}</a>`;
}

/**
 * Flows: the conversation flows this process loaded (valid, or it would not have started), and
 * a re-check of the flows folder as `npm run flows:check` does it, e.g. after editing a file.
 */
export function flowRoutes(deps: ConsoleDeps): Router {
  const router = Router();
  router.get("/console/flows", (req, res) => {
    const flows = [...deps.flows.values()].sort((a, b) => a.id.localeCompare(b.id));
    let check: SafeHtml | string = "";
    if (req.query.periksa !== undefined) {
      const checked = checkFlows();
      check = checked.ok
        ? html`<p class="notice" role="status">Folder flows diperiksa: ${checked.flows.size} flow valid.</p>`
        : html`<div class="notice" role="alert"><p>Folder flows berisi masalah (Berdaya tidak akan mau dijalankan ulang sebelum diperbaiki):</p>
<ul>${checked.problems.map((p) => html`<li><code>${p.file}:${p.line}</code> ${p.message}</li>`)}</ul></div>`;
    }
    renderPage(res, {
      title: "Flows",
      active: "flows",
      body: html`${check}
<p>Flow yang sedang dipakai (${flows.length}); semuanya valid karena Berdaya menolak berjalan dengan flow yang salah. <a href="/console/flows?periksa=1">Periksa ulang folder flows</a> setelah mengubah berkas.</p>
<div class="table-wrap"><table>
<thead><tr><th>Flow</th><th>Keterangan</th><th>Kata pemicu</th><th>Langkah</th><th>Status</th><th>Coba</th></tr></thead>
<tbody>
${flows.map(
  (flow) => html`<tr><td><code>${flow.id}</code></td><td>${flow.description ?? ""}</td>
<td>${(flow.triggers ?? []).join(", ")}</td><td>${Object.keys(flow.steps).length}</td>
<td>Valid</td><td>${tryLink(flow, deps.simulatorEnabled)}</td></tr>`,
)}
</tbody></table></div>`,
    });
  });
  return router;
}
