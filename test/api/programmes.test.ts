import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditLog, programmes } from "../../src/db/schema/index.js";
import { register } from "../../src/domain/registrations.js";
import type { RunningBerdaya } from "../../src/server.js";
import { now, resident } from "../domain/fixtures.js";
import {
  apiCall,
  apiToken,
  demoOrganisations,
  type Organisations,
  startConsoleServer,
} from "../support/console.js";
import { describeEachDatabase } from "../support/database.js";
import { outboxTexts } from "../support/simulator-resident.js";

describeEachDatabase("REST API: programmes, sessions and registrations", (database) => {
  let berdaya: RunningBerdaya;
  let orgs: Organisations;
  let dinsos: string;
  let lsm: string;
  let programmeId: number;
  let sessionId: number;
  let registrationId: number;
  let contactId: number;
  const db = () => database().db;

  beforeAll(async () => {
    orgs = await demoOrganisations(database(), now);
    berdaya = await startConsoleServer(database(), { clock: () => now });
    dinsos = await apiToken(database(), orgs.dinsos);
    lsm = await apiToken(database(), orgs.lsm);
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  const call = (token: string, method: string, path: string, body?: unknown) =>
    apiCall(berdaya.url, token, method, path, body);

  it("creates a programme for the token's organisation and lists it", async () => {
    const created = await call(dinsos, "POST", "/programmes", {
      code: "kmp01",
      title: "Komputer Perkantoran",
      category: "komputer",
      capacity: 1,
      status: "open",
      keywords: ["Komputer"],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code: "KMP01",
      organisationId: orgs.dinsos,
      seatsTaken: 0,
      keywords: ["komputer"],
      nextSessionAt: null,
    });
    programmeId = created.body.id;
    const listed = await call(dinsos, "GET", "/programmes?status=open&limit=10");
    expect(listed.body.data.map((p: { code: string }) => p.code)).toContain("KMP01");
    expect(listed.body.data.map((p: { code: string }) => p.code)).not.toContain("MJH02");
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "programme.create"));
    expect(audit).toMatchObject({ organisationId: orgs.dinsos, staffUserId: null });
  });

  it("answers 4xx naming the field", async () => {
    const missing = await call(dinsos, "POST", "/programmes", { code: "ABC01", category: "x" });
    expect(missing.status).toBe(400);
    expect(missing.body.field).toMatch(/^body\./);
    const taken = await call(dinsos, "POST", "/programmes", {
      code: "MJH01",
      title: "Duplikat",
      category: "menjahit",
      capacity: 5,
    });
    expect(taken).toMatchObject({ status: 409, body: { field: "body.code" } });
    const session = await call(dinsos, "POST", `/programmes/${programmeId}/sessions`, {
      startsAt: "2026-11-27T01:00:00Z",
      endsAt: "2026-11-27T04:00:00Z",
    });
    expect(session).toMatchObject({ status: 400, body: { field: "body.startsAt" } });
  });

  it("adds sessions, moves one and the registered resident is told the new time", async () => {
    const added = await call(dinsos, "POST", `/programmes/${programmeId}/sessions`, {
      startsAt: "2026-12-07T09:00:00+08:00",
      endsAt: "2026-12-07T12:00:00+08:00",
      whatToBring: "Flashdisk",
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ startsAt: "2026-12-07T01:00:00.000Z", status: "scheduled" });
    sessionId = added.body.id;

    ({ contactId } = await resident(db(), "api-warga-1"));
    const seated = await register(db(), { contactId, programmeId, now });
    if (seated.result !== "registered") throw new Error(seated.result);
    registrationId = seated.registrationId;
    const waiting = await resident(db(), "api-warga-2");
    await register(db(), { contactId: waiting.contactId, programmeId, now });

    const moved = await call(dinsos, "PATCH", `/sessions/${sessionId}`, {
      startsAt: "2026-12-08T09:00:00+08:00",
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      notified: 1,
      session: { startsAt: "2026-12-08T01:00:00.000Z", endsAt: "2026-12-08T04:00:00.000Z" },
    });
    expect((await outboxTexts(db(), contactId)).join("\n")).toContain(
      "dipindah ke Selasa, 8 Desember 2026 pukul 09.00 WITA",
    );
    const sessions = await call(dinsos, "GET", `/programmes/${programmeId}/sessions`);
    expect(sessions.body.data).toHaveLength(1);
    const programme = await call(dinsos, "GET", `/programmes/${programmeId}`);
    expect(programme.body).toMatchObject({
      seatsTaken: 1,
      waitlistCount: 1,
      nextSessionAt: "2026-12-08T01:00:00.000Z",
    });
  });

  it("lists registrations with a status filter and refuses capacity below the seats taken", async () => {
    const all = await call(dinsos, "GET", `/programmes/${programmeId}/registrations`);
    expect(all.body.pagination).toEqual({ limit: 50, offset: 0, total: 2 });
    expect(all.body.data.map((r: { status: string }) => r.status)).toEqual([
      "registered",
      "waitlisted",
    ]);
    const waiting = await call(
      dinsos,
      "GET",
      `/programmes/${programmeId}/registrations?status=waitlisted`,
    );
    expect(waiting.body.data).toHaveLength(1);
    expect(waiting.body.data[0]).toMatchObject({
      waitlistPosition: 1,
      resident: { channels: ["simulator"] },
    });
    const bad = await call(dinsos, "GET", `/programmes/${programmeId}/registrations?status=x`);
    expect(bad).toMatchObject({ status: 400, body: { field: "query.status" } });

    await db().update(programmes).set({ capacity: 2 }).where(eq(programmes.id, programmeId));
    const third = await resident(db(), "api-warga-3");
    expect((await register(db(), { contactId: third.contactId, programmeId, now })).result).toBe(
      "registered",
    );
    const shrink = await call(dinsos, "PATCH", `/programmes/${programmeId}`, { capacity: 1 });
    expect(shrink).toMatchObject({ status: 409, body: { field: "body.capacity" } });
    expect(shrink.body.message).toContain("2 seats already taken");
    const zero = await call(dinsos, "PATCH", `/programmes/${programmeId}`, { capacity: 0 });
    expect(zero).toMatchObject({ status: 400, body: { field: "body.capacity" } });
  });

  it("cancels a registration: the resident is told and the seat is offered to the next in line", async () => {
    const cancelled = await call(dinsos, "POST", `/registrations/${registrationId}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { status: "cancelled" } });
    expect((await outboxTexts(db(), contactId)).at(-1)).toContain("dibatalkan oleh petugas");
    const all = await call(
      dinsos,
      "GET",
      `/programmes/${programmeId}/registrations?status=offered`,
    );
    expect(all.body.data).toHaveLength(1);
    const again = await call(dinsos, "POST", `/registrations/${registrationId}/cancel`);
    expect(again.status).toBe(409);
    const one = await call(dinsos, "GET", `/registrations/${registrationId}`);
    expect(one.body).toMatchObject({ id: registrationId, status: "cancelled" });
  });

  it("cancels a session and tells the residents holding a seat", async () => {
    const cancelled = await call(dinsos, "POST", `/sessions/${sessionId}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { session: { status: "cancelled" } } });
  });

  it("answers 404 for another organisation's programme, sessions and registrations", async () => {
    const attempts: [string, string, unknown?][] = [
      ["GET", `/programmes/${programmeId}`],
      ["PATCH", `/programmes/${programmeId}`, { title: "Diambil alih" }],
      ["GET", `/programmes/${programmeId}/sessions`],
      [
        "POST",
        `/programmes/${programmeId}/sessions`,
        { startsAt: "2026-12-20T01:00:00Z", endsAt: "2026-12-20T02:00:00Z" },
      ],
      ["PATCH", `/sessions/${sessionId}`, { startsAt: "2026-12-21T01:00:00Z" }],
      ["POST", `/sessions/${sessionId}/cancel`],
      ["GET", `/programmes/${programmeId}/registrations`],
      ["GET", `/registrations/${registrationId}`],
      ["POST", `/registrations/${registrationId}/cancel`],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await call(lsm, method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.error).toBe("not_found");
    }
    const [stored] = await db().select().from(programmes).where(eq(programmes.id, programmeId));
    expect(stored?.title).toBe("Komputer Perkantoran");
    const listed = await call(lsm, "GET", "/programmes");
    expect(listed.body.data.map((p: { code: string }) => p.code).sort()).toEqual(["MJH02"]);
  });

  it("documents the endpoints in the OpenAPI document", async () => {
    const document = (await (await fetch(`${berdaya.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/programmes",
        "/programmes/{id}",
        "/programmes/{id}/sessions",
        "/sessions/{id}",
        "/sessions/{id}/cancel",
        "/programmes/{id}/registrations",
        "/registrations/{id}",
        "/registrations/{id}/cancel",
      ]),
    );
  });
});
