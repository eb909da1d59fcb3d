import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { contacts, outboxMessages } from "../../src/db/schema/index.js";
import type { RunningBerdaya } from "../../src/server.js";
import { now } from "../domain/fixtures.js";
import {
  apiToken,
  demoOrganisations,
  type Organisations,
  startConsoleServer,
} from "../support/console.js";
import { describeEachDatabase } from "../support/database.js";
import { needFor, registerIn, residentWithProfile } from "../support/residents.js";

/** The JSON answers these tests read, loosely typed. */
interface Answer {
  data: Record<string, unknown>[];
  field?: string;
  [key: string]: unknown;
}

describeEachDatabase("REST API: needs and contacts", (database) => {
  let berdaya: RunningBerdaya;
  let orgs: Organisations;
  let dinsosToken: string;
  let lsmToken: string;
  let dinsosNeed: { id: number; ticket: string };
  let resident: number;
  let lsmResident: number;

  beforeAll(async () => {
    const db = database().db;
    orgs = await demoOrganisations(database(), now);
    resident = (
      await residentWithProfile(db, "api-a", { name: "Ibu Sari", phone: "+6281298765432" }, now)
    ).contactId;
    await registerIn(db, resident, "MJH01", now);
    dinsosNeed = await needFor(db, {
      contactId: resident,
      organisationId: orgs.dinsos,
      now,
      description: "Butuh kursi roda",
    });
    lsmResident = (await residentWithProfile(db, "api-b", { name: "Pak Amir" }, now)).contactId;
    await needFor(db, {
      contactId: lsmResident,
      organisationId: orgs.lsm,
      now,
      category: "pangan",
    });
    dinsosToken = await apiToken(database(), orgs.dinsos);
    lsmToken = await apiToken(database(), orgs.lsm);
    berdaya = await startConsoleServer(database(), { clock: () => now });
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  const call = async (token: string, path: string, init: RequestInit = {}) => {
    const response = await fetch(`${berdaya.url}/api/v1${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
      },
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };

  it("lists the organisation's needs only, with filters and pagination", async () => {
    const mine = await call(dinsosToken, "/needs");
    expect(mine.status).toBe(200);
    expect(mine.body.data.map((need) => need.ticket)).toEqual([dinsosNeed.ticket]);
    expect(mine.body.pagination).toEqual({ limit: 50, offset: 0, total: 1 });
    expect(mine.body.data[0]).toMatchObject({
      status: "baru",
      kecamatanName: "Balikpapan Barat",
      createdAt: now.toISOString(),
    });
    expect((await call(dinsosToken, "/needs?status=selesai")).body.data).toEqual([]);
    expect((await call(dinsosToken, "/needs?category=kesehatan")).body.data).toHaveLength(1);
    expect((await call(dinsosToken, "/needs?kecamatan=64.71.01")).body.data).toEqual([]);
    expect((await call(dinsosToken, "/needs?since=2026-11-29T00:00:00%2B08:00")).body.data).toEqual(
      [],
    );
    const wrong = await call(dinsosToken, "/needs?status=hilang");
    expect(wrong.status).toBe(400);
    expect(wrong.body.field).toBe("query.status");
  });

  it("reads one need, and answers 404 for another organisation's", async () => {
    const own = await call(dinsosToken, `/needs/${dinsosNeed.id}`);
    expect(own.body).toMatchObject({ description: "Butuh kursi roda", hasPhoto: false });
    expect(own.body.history).toHaveLength(1);
    const other = await call(lsmToken, `/needs/${dinsosNeed.id}`);
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ error: "not_found" });
  });

  it("changes the status with the console's rules and tells the resident", async () => {
    const path = `/needs/${dinsosNeed.id}/status`;
    const refused = await call(lsmToken, path, {
      method: "POST",
      body: JSON.stringify({ status: "ditolak" }),
    });
    expect(refused.status).toBe(404);
    const invalid = await call(dinsosToken, path, {
      method: "POST",
      body: JSON.stringify({ status: "dikerjakan" }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.field).toBe("body.status");

    const changed = await call(dinsosToken, path, {
      method: "POST",
      body: JSON.stringify({ status: "ditindaklanjuti", message: "Kursi roda sedang diproses." }),
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: "ditindaklanjuti", residentNotified: true });
    const [notice] = await database()
      .db.select({ payload: outboxMessages.payload })
      .from(outboxMessages)
      .where(eq(outboxMessages.contactId, resident))
      .orderBy(desc(outboxMessages.id))
      .limit(1);
    expect(notice?.payload.text).toContain(dinsosNeed.ticket);
    expect(notice?.payload.text).toContain("Kursi roda sedang diproses.");

    const backwards = await call(dinsosToken, path, {
      method: "POST",
      body: JSON.stringify({ status: "ditinjau" }),
    });
    expect(backwards.status).toBe(409);
    expect(backwards.body.field).toBe("body.status");
  });

  it("searches contacts connected to the organisation, by name or phone", async () => {
    const byPhone = await call(dinsosToken, "/contacts?q=0812-9876-5432");
    expect(byPhone.body.data).toMatchObject([{ id: resident, phone: "+6281298765432" }]);
    expect((await call(lsmToken, "/contacts?q=0812-9876-5432")).body.data).toEqual([]);
    expect((await call(lsmToken, "/contacts?q=amir")).body.data).toMatchObject([
      { id: lsmResident },
    ]);
    const one = await call(dinsosToken, `/contacts/${resident}`);
    expect(one.body).toMatchObject({
      name: "Ibu Sari",
      registrations: [{ programmeCode: "MJH01", status: "registered" }],
      consents: [{ granted: true }],
    });
    expect((await call(lsmToken, `/contacts/${resident}`)).status).toBe(404);
  });

  it("erases a contact of the organisation only", async () => {
    expect((await call(lsmToken, `/contacts/${resident}`, { method: "DELETE" })).status).toBe(404);
    const erased = await call(dinsosToken, `/contacts/${resident}`, { method: "DELETE" });
    expect(erased).toEqual({ status: 200, body: { id: resident, erased: true } });
    const [row] = await database().db.select().from(contacts).where(eq(contacts.id, resident));
    expect(row).toMatchObject({ name: null, phone: null });
    expect((await call(dinsosToken, `/contacts/${resident}`)).status).toBe(404);
    expect((await call(dinsosToken, "/contacts")).body.data).toEqual([]);
    expect((await call(dinsosToken, `/needs/${dinsosNeed.id}`)).body).toMatchObject({
      contactId: null,
      description: null,
    });
  });

  it("documents the endpoints in the OpenAPI document", async () => {
    const document = (await (await fetch(`${berdaya.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/needs", "/needs/{id}", "/needs/{id}/status", "/contacts/{id}"]),
    );
    expect(document.paths["/contacts/{id}"]?.delete).toBeDefined();
  });
});
