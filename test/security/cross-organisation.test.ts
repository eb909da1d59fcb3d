import { and, eq, sql } from "drizzle-orm";
import type { Router } from "express";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiEndpoints } from "../../src/api/endpoints.js";
import { apiRoutes } from "../../src/api/router.js";
import { consoleRoutes } from "../../src/console/router.js";
import { apiTokens, programmeSessions, registrations } from "../../src/db/schema/index.js";
import { rowsOf } from "../../src/db/sql-rows.js";
import { announce } from "../../src/domain/announcements.js";
import { requestAssistance } from "../../src/domain/assistance.js";
import { storeMedia } from "../../src/domain/media.js";
import { createNeed } from "../../src/domain/needs.js";
import { createLogger } from "../../src/log.js";
import type { RunningBerdaya } from "../../src/server.js";
import { createLoginThrottle } from "../../src/staff/login-throttle.js";
import { now, programmeIdOf, resident } from "../domain/fixtures.js";
import {
  apiToken,
  ConsoleClient,
  demoOrganisations,
  staffAccount,
  startConsoleServer,
} from "../support/console.js";
import { describeEachDatabase } from "../support/database.js";

interface RouteEntry {
  method: string;
  path: string;
}

/** Every route of a router, found by walking its layers (nested routers included). */
function routesOf(router: Router): RouteEntry[] {
  type Layer = {
    route?: { path: string; methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
  };
  const walk = (stack: Layer[]): RouteEntry[] =>
    stack.flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods).map((method) => ({
            method,
            path: layer.route?.path ?? "",
          }))
        : layer.handle?.stack
          ? walk(layer.handle.stack)
          : [],
    );
  return walk((router as unknown as { stack: Layer[] }).stack);
}

/** The route table, from the same routers the server mounts (their dependencies are unused here). */
function routeTable(): RouteEntry[] {
  const log = createLogger("silent");
  const unused = undefined as never;
  return [
    ...routesOf(
      consoleRoutes({
        db: unused,
        clock: () => now,
        log,
        secureCookies: false,
        throttle: createLoginThrottle(),
        flows: new Map(),
        channels: new Map(),
        simulatorEnabled: true,
        offerTtlMs: 0,
        wakeDelivery: () => {},
      }),
    ),
    ...routesOf(
      apiRoutes(
        { db: unused, clock: () => now, log, publicUrl: "", offerTtlMs: 0, wakeDelivery: () => {} },
        apiEndpoints,
      ),
    ),
  ].filter((route) => route.path.includes(":"));
}

describeEachDatabase("no route lets one organisation reach another's data", (database) => {
  let berdaya: RunningBerdaya;
  /** Ids of Dinas Sosial's objects, by the kind of object a route's parameter names. */
  const ids: Record<string, number> = {};
  let lsmToken: string;
  let dinsosToken: string;
  let snapshotBefore: string;

  /** What the attacker must not have changed: Dinas Sosial's rows that routes can change. */
  async function snapshot(): Promise<string> {
    const [row] = rowsOf(
      await database().db.execute(sql`
      select concat_ws('|',
        (select string_agg(concat(id, title, capacity, status, description), ',' order by id) from programmes),
        (select string_agg(concat(id, starts_at, status), ',' order by id) from programme_sessions),
        (select string_agg(concat(id, status), ',' order by id) from registrations),
        (select string_agg(concat(session_id, registration_id, attended), ',') from attendance),
        (select string_agg(concat(id, status, assigned_organisation_id), ',' order by id) from need_reports),
        (select string_agg(concat(id, status), ',' order by id) from broadcasts),
        (select string_agg(concat(id, erased_at, handover_since), ',' order by id) from contacts),
        (select string_agg(concat(id, revoked_at), ',' order by id) from api_tokens),
        (select count(*) from outbox_messages)
      ) as state`),
    );
    return String(row?.state ?? "");
  }

  beforeAll(async () => {
    const { db } = database();
    const { dinsos, lsm } = await demoOrganisations(database(), now);
    const dinsosAdmin = await staffAccount(database(), "admin@dinsos.id", dinsos);
    await staffAccount(database(), "petugas@lsm.id", lsm);
    lsmToken = await apiToken(database(), lsm);
    dinsosToken = await apiToken(database(), dinsos);

    const programmeId = await programmeIdOf(db, "MJH01");
    const [session] = await db
      .select({ id: programmeSessions.id })
      .from(programmeSessions)
      .where(eq(programmeSessions.programmeId, programmeId));
    const who = await resident(db, "warga-dinsos");
    const [registration] = await db
      .insert(registrations)
      .values({ programmeId, contactId: who.contactId, status: "registered" })
      .returning({ id: registrations.id });
    const photo = await storeMedia(db, {
      bytes: new Uint8Array([137, 80, 78, 71]),
      mimeType: "image/png",
      now,
    });
    const need = await createNeed(db, {
      contactId: who.contactId,
      category: "kesehatan",
      description: "Butuh kursi roda",
      photoMediaId: null,
      kecamatan: null,
      kelurahan: null,
      now,
    });
    await db.execute(
      sql`update need_reports set assigned_organisation_id = ${dinsos}, photo_media_id = ${photo} where id = ${need.id}`,
    );
    await requestAssistance(db, { contactId: who.contactId, reason: "petugas", now });
    const announced = await announce(
      db,
      dinsosAdmin,
      { text: "Kelas dimulai Senin.", audience: {}, sendAt: new Date(now.getTime() + 86_400_000) },
      now,
    );
    const [token] = await db
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .where(and(eq(apiTokens.organisationId, dinsos)));
    Object.assign(ids, {
      programme: programmeId,
      session: session?.id,
      registration: registration?.id,
      need: need.id,
      media: photo,
      contact: who.contactId,
      broadcast: "broadcastId" in announced ? announced.broadcastId : Number.NaN,
      token: token?.id,
    });
    berdaya = await startConsoleServer(database());
    snapshotBefore = await snapshot();
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  /** Which object each route parameter names, from where it sits in the path. */
  const kindOf: Record<string, Record<string, string>> = {
    program: { id: "programme", sid: "session", rid: "registration" },
    laporan: { id: "need" },
    media: { id: "media" },
    warga: { id: "contact" },
    percakapan: { contactId: "contact" },
    pengumuman: { id: "broadcast" },
    "token-api": { id: "token" },
    programmes: { id: "programme" },
    sessions: { id: "session" },
    registrations: { id: "registration" },
    needs: { id: "need" },
    contacts: { id: "contact" },
    broadcasts: { id: "broadcast" },
  };

  function concrete(path: string): string {
    const section = path.replace(/^\/(console|api\/v1)\//, "").split("/")[0] ?? "";
    return path.replace(/:(\w+)/g, (_, name: string) => {
      const kind = kindOf[section]?.[name];
      if (!kind || ids[kind] === undefined)
        throw new Error(`no object for ${name} in ${path}: extend kindOf`);
      return String(ids[kind]);
    });
  }

  it("covers every route with a parameter, console and API alike", () => {
    const table = routeTable();
    expect(table.length).toBeGreaterThan(40);
    for (const route of table) expect(() => concrete(route.path)).not.toThrow();
  });

  it("opens every console page for the organisation's own staff (so the ids above are right)", async () => {
    const client = new ConsoleClient(berdaya.url);
    await client.login("admin@dinsos.id");
    const answers: string[] = [];
    for (const route of routeTable().filter(
      (r) => r.path.startsWith("/console") && r.method === "get",
    )) {
      answers.push(`${route.path} ${(await client.get(concrete(route.path))).status}`);
    }
    expect(answers.filter((answer) => !answer.endsWith(" 200"))).toEqual([]);
  });

  it("answers 404 to another organisation's staff on every console route, and changes nothing", async () => {
    const client = new ConsoleClient(berdaya.url);
    await client.login("petugas@lsm.id");
    await client.get("/console");
    const answers: string[] = [];
    for (const route of routeTable().filter((r) => r.path.startsWith("/console"))) {
      const path = concrete(route.path);
      const page = route.method === "get" ? await client.get(path) : await client.post(path, {});
      answers.push(`${route.method} ${route.path} ${page.status}`);
    }
    expect(answers.filter((answer) => !answer.endsWith(" 404"))).toEqual([]);
    expect(await snapshot()).toBe(snapshotBefore);
  });

  it("opens every API object for the organisation's own token", async () => {
    const answers: string[] = [];
    for (const route of routeTable().filter(
      (r) => r.path.startsWith("/api/v1") && r.method === "get",
    )) {
      const response = await fetch(`${berdaya.url}${concrete(route.path)}`, {
        headers: { authorization: `Bearer ${dinsosToken}` },
      });
      answers.push(`${route.path} ${response.status}`);
    }
    expect(answers.filter((answer) => !answer.endsWith(" 200"))).toEqual([]);
  });

  it("answers 404 to another organisation's token on every API route, and changes nothing", async () => {
    const answers: string[] = [];
    for (const route of routeTable().filter((r) => r.path.startsWith("/api/v1"))) {
      const response = await fetch(`${berdaya.url}${concrete(route.path)}`, {
        method: route.method.toUpperCase(),
        headers: { authorization: `Bearer ${lsmToken}`, "content-type": "application/json" },
        ...(route.method === "get" ? {} : { body: "{}" }),
      });
      answers.push(`${route.method} ${route.path} ${response.status}`);
    }
    expect(answers.filter((answer) => !/ (404|400)$/.test(answer))).toEqual([]);
    expect(await snapshot()).toBe(snapshotBefore);
  });
});
