import { Router } from "express";
import { programmeAttendance } from "../../domain/manage/attendance.js";
import {
  cancelParticipant,
  findParticipant,
  listParticipants,
  type Participant,
} from "../../domain/manage/participants.js";
import { listSessions } from "../../domain/manage/sessions.js";
import { activeStatuses, registrationStatusLabel } from "../../domain/registrations.js";
import { formatDate, formatDateTime, formatPhone, formatTime } from "../../engine/format.js";
import { sendCsv } from "../csv.js";
import type { ConsoleDeps } from "../deps.js";
import { html } from "../html.js";
import { csrfField, errorPage, renderPage } from "../layout.js";
import { redirectWithNotice } from "../notice.js";
import { staffOf } from "../session.js";
import { programmeOr404 } from "./programmes.js";

export const erasedName = "(data dihapus)";
export const rsvpLabels = { hadir: "Hadir", tidak: "Tidak hadir" } as const;

function nameOf(participant: Pick<Participant, "name" | "contactId">): string {
  return participant.contactId === null ? erasedName : (participant.name ?? "—");
}

const phoneOf = (phone: string | null) => (phone ? formatPhone(phone) : "");

/** Peserta: a programme's participants, cancelling a registration, and the CSV export. */
export function participantRoutes(deps: ConsoleDeps): Router {
  const router = Router();

  router.get("/console/program/:id/peserta", async (req, res) => {
    const programme = await programmeOr404(deps, res, req.params.id);
    if (!programme) return;
    const staff = staffOf(res);
    const listed = await listParticipants(deps.db, staff, programme.id);
    const sessions = await listSessions(deps.db, staff, programme.id);
    const participants = listed?.participants ?? [];
    const base = `/console/program/${programme.id}`;
    renderPage(res, {
      title: `Peserta ${programme.code}`,
      active: "program",
      body: html`<p class="toolbar"><a href="${base}">← ${programme.title}</a>
<a class="button" href="${base}/peserta.csv">Unduh CSV (Excel)</a></p>
<p>Kursi terisi ${programme.seatsTaken}/${programme.capacity} · daftar tunggu ${programme.waitlistCount}</p>
<div class="table-wrap"><table>
<thead><tr><th>Nama</th><th>Nomor HP</th><th>Kelurahan</th><th>Saluran</th><th>Status</th><th>Tanggal daftar</th><th></th></tr></thead>
<tbody>
${participants.map(
  (
    p,
  ) => html`<tr><td>${nameOf(p)}</td><td>${phoneOf(p.phone)}</td><td>${p.kelurahan ?? ""}</td><td>${p.channels}</td>
<td>${registrationStatusLabel(p)}</td><td>${formatDateTime(p.createdAt)}</td>
<td>${
    p.contactId !== null && activeStatuses.includes(p.status)
      ? html`<form method="post" action="${base}/peserta/${p.id}/batal" class="inline">${csrfField(res)}<button type="submit" class="danger">Batalkan</button></form>`
      : ""
  }</td></tr>`,
)}
${participants.length === 0 ? html`<tr><td colspan="7" class="muted">Belum ada pendaftar.</td></tr>` : ""}
</tbody></table></div>
<h2>Kehadiran per sesi</h2>
<div class="table-wrap"><table>
<thead><tr><th>Sesi</th><th>RSVP hadir</th><th>RSVP tidak</th><th>Hadir (ditandai)</th><th></th></tr></thead>
<tbody>
${sessions.map(
  (
    s,
  ) => html`<tr><td>${formatDateTime(s.startsAt)}${s.status === "cancelled" ? html` <span class="badge">Dibatalkan</span>` : ""}</td>
<td>${s.rsvpYes}</td><td>${s.rsvpNo}</td><td>${s.attended}</td>
<td><a href="${base}/sesi/${s.id}/kehadiran">Tandai kehadiran</a> · <a href="${base}/sesi/${s.id}/cetak">Cetak daftar hadir</a></td></tr>`,
)}
${sessions.length === 0 ? html`<tr><td colspan="5" class="muted">Belum ada sesi.</td></tr>` : ""}
</tbody></table></div>`,
    });
  });

  router.get("/console/program/:id/peserta.csv", async (req, res) => {
    const programme = await programmeOr404(deps, res, req.params.id);
    if (!programme) return;
    const staff = staffOf(res);
    const participants = (await listParticipants(deps.db, staff, programme.id))?.participants ?? [];
    const sessions = (await listSessions(deps.db, staff, programme.id)).filter(
      (s) => s.status === "scheduled",
    );
    const marks = new Map(
      (await programmeAttendance(deps.db, programme.id)).map((m) => [
        `${m.sessionId}:${m.registrationId}`,
        m,
      ]),
    );
    const header = [
      "Nama",
      "Nomor HP",
      "Kelurahan",
      "Saluran",
      "Status",
      "Tanggal daftar",
      ...sessions.flatMap((s) => {
        const when = `${formatDate(s.startsAt)} ${formatTime(s.startsAt)}`;
        return [`RSVP ${when}`, `Hadir ${when}`];
      }),
    ];
    const rows = participants.map((p) => [
      nameOf(p),
      phoneOf(p.phone),
      p.kelurahan ?? "",
      p.channels,
      registrationStatusLabel(p),
      formatDateTime(p.createdAt),
      ...sessions.flatMap((s) => {
        const mark = marks.get(`${s.id}:${p.id}`);
        const attended = mark?.attended == null ? "" : mark.attended ? "Ya" : "Tidak";
        return [mark?.rsvp ? rsvpLabels[mark.rsvp] : "", attended];
      }),
    ]);
    sendCsv(res, `peserta-${programme.code}.csv`, header, rows);
  });

  router.post("/console/program/:id/peserta/:rid/batal", async (req, res) => {
    const programme = await programmeOr404(deps, res, req.params.id);
    if (!programme) return;
    const staff = staffOf(res);
    const registrationId = Number(req.params.rid);
    const participant = Number.isSafeInteger(registrationId)
      ? await findParticipant(deps.db, staff, registrationId)
      : undefined;
    if (participant?.programmeId !== programme.id)
      return errorPage(res, 404, "Pendaftaran ini tidak ada.");
    const cancelled = await cancelParticipant(deps.db, staff, registrationId, {
      now: deps.clock(),
      offerTtlMs: deps.offerTtlMs,
    });
    if (cancelled.result === "not_found") return errorPage(res, 404, "Pendaftaran ini tidak ada.");
    if (cancelled.result === "not_active")
      return errorPage(res, 409, "Pendaftaran ini sudah tidak aktif.");
    deps.wakeDelivery();
    redirectWithNotice(
      res,
      `/console/program/${programme.id}/peserta`,
      `Pendaftaran ${nameOf(participant)} dibatalkan. Warga diberi tahu; kursi yang kosong ditawarkan ke daftar tunggu.`,
    );
  });
  return router;
}
