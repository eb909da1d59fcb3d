import type { Response } from "express";
import type { ChannelLimits } from "../../channels/adapter.js";
import { channelLabels } from "../../channels/contract.js";
import { type ChannelName, channelNames } from "../../db/schema/index.js";
import type { AnnouncementInput } from "../../domain/announcements.js";
import { type BroadcastPreview, personalise, placeholders } from "../../domain/broadcasts/index.js";
import { makassarTimeToInstant } from "../../engine/format.js";
import type { ConsoleDeps } from "../deps.js";
import { type FieldErrors, inputField, textAreaField } from "../forms.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, renderPage } from "../layout.js";
import { staffOf } from "../session.js";
import {
  type AudienceChoices,
  audienceChoices,
  audienceFields,
  audienceFromForm,
} from "./announcement-audience.js";

/** The compose form of Pengumuman: what was typed, the preview, and the errors by field. */

export type FormBody = Record<string, unknown>;

const text = (body: FormBody, name: string) =>
  typeof body[name] === "string" ? (body[name] as string) : "";

/** The pacing each running channel declares, for the estimate. */
export function channelLimits(deps: ConsoleDeps): Partial<Record<ChannelName, ChannelLimits>> {
  const limits: Partial<Record<ChannelName, ChannelLimits>> = {};
  for (const channel of channelNames) {
    const adapter = deps.channels.get(channel);
    if (adapter) limits[channel] = adapter.capabilities.limits;
  }
  return limits;
}

/**
 * The posted form as the domain's input, or errors by form field: a date without a time (or
 * the other way round), or a time that does not exist.
 */
export function announcementFromForm(
  body: FormBody,
): { ok: true; input: AnnouncementInput } | { ok: false; errors: FieldErrors } {
  const date = text(body, "sendDate").trim();
  const time = text(body, "sendTime").trim();
  let sendAt: Date | undefined;
  if (date || time) {
    if (!date) return { ok: false, errors: { sendDate: "Isi tanggal kirim, atau kosongkan jam." } };
    if (!time) return { ok: false, errors: { sendTime: "Isi jam kirim, atau kosongkan tanggal." } };
    try {
      sendAt = makassarTimeToInstant(date, time);
    } catch {
      return { ok: false, errors: { sendDate: "Tanggal atau jam tidak valid." } };
    }
  }
  return {
    ok: true,
    input: {
      title: text(body, "title"),
      text: text(body, "text"),
      audience: audienceFromForm(body),
      sendAt,
    },
  };
}

/** The domain's field (`text`, `audience.kecamatan`, `sendAt`) as the form's field name. */
export function formFieldOf(field: string): string {
  if (field === "sendAt") return "sendDate";
  return field.startsWith("audience.") ? field.slice("audience.".length) : field;
}

/** Who it reaches, how long it takes, and the message as the first of them will see it. */
export function previewSection(preview: BroadcastPreview, body: FormBody): SafeHtml {
  const first = preview.sample[0];
  const message = personalise(text(body, "text").trim() || "…", {
    name: first && first.name !== "Warga" ? first.name : null,
    kelurahan: first?.kelurahan ?? null,
  });
  const used = channelNames.filter((channel) => preview.byChannel[channel] > 0);
  return html`<section class="preview" aria-live="polite">
<h2>Penerima: <strong data-count>${preview.count}</strong> warga</h2>
${
  preview.count === 0
    ? html`<p class="muted">Tidak ada warga yang cocok dengan pilihan ini.</p>`
    : html`<dl class="facts">${used.map(
        (channel) =>
          html`<dt>${channelLabels[channel]}</dt><dd>${preview.byChannel[channel]} warga · ${preview.estimate[channel] ?? ""}</dd>`,
      )}</dl>
<p>Contoh penerima: ${preview.sample.map((s) => s.name).join(", ")}${preview.count > preview.sample.length ? " …" : ""}</p>`
}
<h3>Pesan seperti yang diterima ${first ? first.name : "warga"}</h3>
<div class="cards">${(used.length > 0 ? used : channelNames).map(
    (channel) =>
      html`<div class="card"><strong>${channelLabels[channel]}</strong><p class="bubble out">${message}</p></div>`,
  )}</div>
</section>`;
}

export interface ComposeView {
  body?: FormBody;
  errors?: FieldErrors;
  preview?: BroadcastPreview;
  status?: number;
}

export async function renderCompose(
  deps: ConsoleDeps,
  res: Response,
  view: ComposeView = {},
): Promise<void> {
  const staff = staffOf(res);
  const body = view.body ?? {};
  const errors = view.errors ?? {};
  const choices: AudienceChoices = await audienceChoices(deps.db, staff);
  renderPage(res, {
    title: "Pengumuman baru",
    active: "pengumuman",
    status: view.status,
    scripts: ["pengumuman.js"],
    body: html`<p><a href="/console/pengumuman">← Semua pengumuman</a></p>
${errors._form ? html`<p class="field-error" role="alert">${errors._form}</p>` : ""}
<form method="post" action="/console/pengumuman/baru" class="stack" id="compose">
${csrfField(res)}
${inputField({ name: "title", label: "Judul (hanya untuk petugas; boleh kosong)", value: text(body, "title"), error: errors.title })}
${textAreaField({
  name: "text",
  label: "Isi pengumuman",
  value: text(body, "text"),
  error: errors.text,
  required: true,
  rows: 6,
  hint: `Kata pengganti: ${placeholders.map((p) => `{${p}}`).join(", ")} ({nama} = nama warga atau "Bapak/Ibu"; {kelurahan} = kelurahannya). Baris "Ketik BERHENTI…" ditambahkan otomatis.`,
})}
${audienceFields(choices, body, errors, staff)}
<fieldset class="stack"><legend>Waktu kirim (WITA)</legend>
<p class="muted">Kosongkan untuk mengirim sekarang.</p>
${inputField({ name: "sendDate", label: "Tanggal", type: "date", value: text(body, "sendDate"), error: errors.sendDate })}
${inputField({ name: "sendTime", label: "Jam", type: "time", value: text(body, "sendTime"), error: errors.sendTime })}
</fieldset>
<div id="pratinjau">${view.preview ? previewSection(view.preview, body) : ""}</div>
<div class="toolbar">
<button type="submit" name="action" value="preview" class="secondary">Hitung penerima</button>
<button type="submit" name="action" value="send">Kirim / jadwalkan</button>
</div>
</form>`,
  });
}
