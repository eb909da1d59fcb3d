import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { RunningBerdaya } from "../../src/server.js";
import { now, programmeIdOf } from "../domain/fixtures.js";
import {
  apiCall,
  apiToken,
  demoOrganisations,
  type Organisations,
  startConsoleServer,
} from "../support/console.js";
import { describeEachDatabase } from "../support/database.js";
import { participant, runningClock } from "../support/residents.js";

describeEachDatabase("REST API: broadcasts", (database) => {
  let berdaya: RunningBerdaya;
  let orgs: Organisations;
  let dinsos: string;
  let lsm: string;

  beforeAll(async () => {
    const { db } = database();
    orgs = await demoOrganisations(database(), now);
    await participant(db, "api-ani", { name: "Ani", programme: "MJH01" });
    await participant(db, "api-budi", { name: "Budi", programme: "MJH01" });
    await participant(db, "api-lina", { name: "Lina", programme: "MJH02" });
    berdaya = await startConsoleServer(database(), { clock: runningClock() });
    dinsos = await apiToken(database(), orgs.dinsos);
    lsm = await apiToken(database(), orgs.lsm);
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  const call = (method: string, path: string, token: string, body?: unknown) =>
    apiCall(berdaya.url, token, method, path, body);

  let sentId: number;

  it("previews the count of the organisation's participants, without names", async () => {
    const preview = await call("POST", "/broadcasts/preview", dinsos, { audience: {} });
    expect(preview).toEqual({
      status: 200,
      body: { count: 2, byChannel: { simulator: 2, telegram: 0, whatsapp: 0 } },
    });
  });

  it("sends now and reports progress up to 100 % and each recipient", async () => {
    const created = await call("POST", "/broadcasts", dinsos, {
      text: "Halo {nama}, kelas besok.",
      audience: { programmeId: await programmeIdOf(database().db, "MJH01") },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "sending", queued: 2, scheduledAt: null });
    sentId = created.body.id;
    const detail = await vi.waitFor(
      async () => {
        const answer = await call("GET", `/broadcasts/${sentId}`, dinsos);
        expect(answer.body.progress?.percent).toBe(100);
        return answer;
      },
      { timeout: 5_000, interval: 50 },
    );
    expect(detail.body).toMatchObject({
      id: sentId,
      title: "Halo {nama}, kelas besok.",
      status: "done",
      progress: { sent: 2, total: 2, queued: 0, percent: 100 },
    });
    const recipients = await call("GET", `/broadcasts/${sentId}/recipients?limit=1`, dinsos);
    expect(recipients.body.pagination).toEqual({ limit: 1, offset: 0, total: 2 });
    expect(recipients.body.data[0]).toMatchObject({ name: "Ani", status: "sent", reason: null });
    const list = await call("GET", "/broadcasts", dinsos);
    expect(list.body.data.map((b: { id: number }) => b.id)).toEqual([sentId]);
  });

  it("schedules, and cancels what has not been sent", async () => {
    const sendAt = new Date(now.getTime() + 86_400_000).toISOString();
    const created = await call("POST", "/broadcasts", dinsos, { text: "Besok libur", sendAt });
    expect(created).toMatchObject({
      status: 201,
      body: { status: "scheduled", scheduledAt: sendAt },
    });
    const cancelled = await call("POST", `/broadcasts/${created.body.id}/cancel`, dinsos);
    expect(cancelled).toEqual({ status: 200, body: { status: "cancelled", withdrawn: 0 } });
    const again = await call("POST", `/broadcasts/${created.body.id}/cancel`, dinsos);
    expect(again).toMatchObject({ status: 409, body: { error: "not_cancellable" } });
  });

  it("names the field: a time past, an unknown placeholder, another organisation's programme", async () => {
    const past = await call("POST", "/broadcasts", dinsos, {
      text: "Terlambat",
      sendAt: new Date(now.getTime() - 3_600_000).toISOString(),
    });
    expect(past).toMatchObject({ status: 400, body: { field: "body.sendAt" } });
    expect(past.body.message).toBe("must not be in the past");
    const typo = await call("POST", "/broadcasts", dinsos, { text: "Halo {nma}" });
    expect(typo).toMatchObject({ status: 400, body: { field: "body.text" } });
    const foreign = await call("POST", "/broadcasts/preview", dinsos, {
      audience: { programmeId: await programmeIdOf(database().db, "MJH02") },
    });
    expect(foreign).toMatchObject({
      status: 400,
      body: { field: "body.audience.programmeId", message: "programme not found" },
    });
    const empty = await call("POST", "/broadcasts", dinsos, { text: " " });
    expect(empty).toMatchObject({ status: 400, body: { field: "body.text" } });
  });

  it("answers 404 for another organisation's broadcast and changes nothing", async () => {
    for (const path of [`/broadcasts/${sentId}`, `/broadcasts/${sentId}/recipients`]) {
      expect(await call("GET", path, lsm)).toMatchObject({
        status: 404,
        body: { error: "not_found" },
      });
    }
    expect((await call("POST", `/broadcasts/${sentId}/cancel`, lsm)).status).toBe(404);
    expect((await call("GET", "/broadcasts", lsm)).body.data).toEqual([]);
    expect((await call("GET", `/broadcasts/${sentId}`, dinsos)).body.status).toBe("done");
  });

  it("describes the endpoints in the OpenAPI document", async () => {
    const document = (await (await fetch(`${berdaya.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/broadcasts",
        "/broadcasts/preview",
        "/broadcasts/{id}",
        "/broadcasts/{id}/recipients",
        "/broadcasts/{id}/cancel",
      ]),
    );
  });
});
