import { type Response, Router } from "express";
import { z } from "zod";
import type { AssistanceReason } from "../../domain/assistance.js";
import { conversationOf, waitingResidents } from "../../domain/conversations.js";
import { handBackToBot, replyAsStaff } from "../../domain/handover.js";
import { formatDateTime } from "../../engine/format.js";
import type { ConsoleDeps } from "../deps.js";
import { type FieldErrors, readForm, textAreaField } from "../forms.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, errorPage, renderPage } from "../layout.js";
import { redirectWithNotice } from "../notice.js";
import { outboxStatusLabels } from "../outbox-labels.js";
import { staffOf } from "../session.js";

const reasonLabels: Readonly<Record<AssistanceReason, string>> = {
  petugas: "Minta bicara dengan petugas",
  pesan_suara: "Meninggalkan pesan suara",
  kekerasan: "Melaporkan kekerasan",
};

const replyForm = z.object({
  text: z
    .string()
    .trim()
    .min(1, { error: "Tulis balasan dulu." })
    .max(2000, { error: "Balasan paling banyak 2.000 karakter." }),
});

const kindLabels: Readonly<Record<string, string>> = {
  voice: "Pesan suara (dengarkan di HP yang dipakai warga; belum bisa diputar di sini)",
  photo: "Foto",
  location: "Lokasi",
  contact: "Kontak",
  choice: "Pilihan",
};

/** Percakapan: residents waiting for a person; staff reply and hand the chat back to the bot. */
export function conversationRoutes(deps: ConsoleDeps): Router {
  const router = Router();

  router.get("/console/percakapan", async (_req, res) => {
    const waiting = await waitingResidents(deps.db, staffOf(res));
    renderPage(res, {
      title: "Percakapan",
      active: "percakapan",
      body: html`<p>Warga yang meminta petugas, meninggalkan pesan suara, atau melaporkan kekerasan. Selama petugas membalas, bot diam untuk warga itu sampai percakapan dikembalikan ke bot.</p>
<div class="table-wrap"><table>
<thead><tr><th>Warga</th><th>Alasan</th><th>Sejak</th><th>Status</th></tr></thead>
<tbody>
${waiting.map(
  (w) => html`<tr><td><a href="/console/percakapan/${w.contactId}">${w.name}</a></td>
<td>${w.reason === "kekerasan" ? html`<strong>${reasonLabels[w.reason]}</strong>` : reasonLabels[w.reason]}</td>
<td>${formatDateTime(w.createdAt)}</td>
<td>${w.status === "open" ? "Baru" : `Ditangani ${w.assignedTo ?? ""}`}${w.handoverSince ? " · bot diam" : ""}</td></tr>`,
)}
${waiting.length === 0 ? html`<tr><td colspan="4" class="muted">Tidak ada warga yang menunggu.</td></tr>` : ""}
</tbody></table></div>`,
    });
  });

  async function conversationPage(
    res: Response,
    contactId: number,
    form: { text?: string; errors?: FieldErrors; status?: number } = {},
  ): Promise<void> {
    const conversation = await conversationOf(deps.db, staffOf(res), contactId);
    if (!conversation) return errorPage(res, 404, "Warga ini tidak ada.");
    const base = `/console/percakapan/${contactId}`;
    const history: SafeHtml[] = conversation.history.map((entry) =>
      entry.direction === "in"
        ? html`<li class="bubble in"><small>${formatDateTime(entry.at)} · Warga</small><br>${
            entry.kind === "text"
              ? entry.text
              : html`<em>${kindLabels[entry.kind] ?? entry.kind}</em>`
          }</li>`
        : html`<li class="bubble out"><small>${formatDateTime(entry.at)} · ${entry.announcement ? "Pengumuman" : "Berdaya"} · ${outboxStatusLabels[entry.status]}</small><br>${entry.text}</li>`,
    );
    renderPage(res, {
      title: `Percakapan dengan ${conversation.name}`,
      active: "percakapan",
      status: form.status,
      body: html`<p><a href="/console/percakapan">← Semua percakapan</a></p>
<p>${conversation.reasons.map((r) => reasonLabels[r]).join(" · ") || "Tidak ada permintaan terbuka."}</p>
<p>${conversation.handoverSince ? html`<strong>Petugas menangani percakapan ini sejak ${formatDateTime(conversation.handoverSince)}; bot diam.</strong>` : "Bot menjawab warga ini. Membalas di sini mengambil alih percakapan."}</p>
<ol class="conversation">${history}</ol>
${conversation.history.length === 0 ? html`<p class="muted">Belum ada pesan.</p>` : ""}
<form method="post" action="${base}/balas" class="stack">
${csrfField(res)}
${textAreaField({ name: "text", label: "Balasan untuk warga", value: form.text, error: form.errors?.text, required: true, rows: 3 })}
<button type="submit">Kirim balasan</button>
</form>
${
  conversation.handoverSince || conversation.reasons.length > 0
    ? html`<form method="post" action="${base}/kembalikan" class="inline">${csrfField(res)}
<button type="submit" class="secondary">Kembalikan ke bot</button>
<small>Permintaan ditutup dan warga diberi tahu bahwa bot menjawab lagi.</small></form>`
    : ""
}`,
    });
  }

  router.get("/console/percakapan/:contactId", async (req, res) =>
    conversationPage(res, Number(req.params.contactId)),
  );

  router.post("/console/percakapan/:contactId/balas", async (req, res) => {
    const contactId = Number(req.params.contactId);
    const form = readForm(replyForm, req.body);
    const typed = typeof req.body?.text === "string" ? req.body.text : "";
    if (!form.ok)
      return conversationPage(res, contactId, { text: typed, errors: form.errors, status: 400 });
    const result = await replyAsStaff(deps.db, staffOf(res), {
      contactId,
      text: form.data.text,
      now: deps.clock(),
    });
    if (result.kind === "not_found") return errorPage(res, 404, "Warga ini tidak ada.");
    if (result.kind === "unreachable") {
      return conversationPage(res, contactId, {
        text: typed,
        errors: { text: "Warga ini tidak bisa dihubungi lagi lewat saluran mana pun." },
        status: 400,
      });
    }
    deps.wakeDelivery();
    redirectWithNotice(
      res,
      `/console/percakapan/${contactId}`,
      "Balasan dikirim; bot diam untuk warga ini.",
    );
  });

  router.post("/console/percakapan/:contactId/kembalikan", async (req, res) => {
    const contactId = Number(req.params.contactId);
    const result = await handBackToBot(deps.db, staffOf(res), { contactId, now: deps.clock() });
    if (result.kind !== "done") return errorPage(res, 404, "Warga ini tidak ada.");
    deps.wakeDelivery();
    redirectWithNotice(res, "/console/percakapan", "Percakapan dikembalikan ke bot.");
  });

  return router;
}
