import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningBerdaya } from "../../src/server.js";
import { revokeApiToken } from "../../src/staff/api-tokens.js";
import { now } from "../domain/fixtures.js";
import {
  apiToken,
  ConsoleClient,
  demoOrganisations,
  type Organisations,
  staffAccount,
  startConsoleServer,
} from "../support/console.js";
import { describeEachDatabase } from "../support/database.js";

describeEachDatabase("REST API authentication and OpenAPI", (database) => {
  let berdaya: RunningBerdaya;
  let orgs: Organisations;
  beforeAll(async () => {
    orgs = await demoOrganisations(database(), now);
    berdaya = await startConsoleServer(database());
  });
  afterAll(async () => {
    await berdaya?.stop();
  });

  const call = (path: string, token?: string) =>
    fetch(
      `${berdaya.url}/api/v1${path}`,
      token ? { headers: { authorization: `Bearer ${token}` } } : {},
    );

  it("answers 401 JSON without a token or with an unknown one", async () => {
    for (const token of [undefined, "bdy_tidak-ada"]) {
      const response = await call("/organisation", token);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
      expect(await response.json()).toMatchObject({ error: "unauthorized" });
    }
  });

  it("acts for the token's organisation", async () => {
    const response = await call("/organisation", await apiToken(database(), orgs.lsm));
    expect(await response.json()).toEqual({ id: orgs.lsm, name: "LSM Cahaya Inklusi Balikpapan" });
  });

  it("refuses a token in the URL, naming where it should go", async () => {
    const token = await apiToken(database(), orgs.lsm);
    const response = await fetch(`${berdaya.url}/api/v1/organisation?access_token=${token}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: "token_in_url",
      field: "query.access_token",
    });
  });

  it("stops accepting a token once it is revoked", async () => {
    const admin = await staffAccount(database(), "admin-cabut@dinsos.id", orgs.dinsos, "admin");
    const token = await apiToken(database(), orgs.dinsos);
    expect((await call("/organisation", token)).status).toBe(200);
    const client = new ConsoleClient(berdaya.url);
    await client.login(admin.email ?? "");
    const page = await client.get("/console/token-api");
    const id = Number(/\/console\/token-api\/(\d+)\/cabut/.exec(page.text)?.[1]);
    expect(await revokeApiToken(database().db, admin, id, new Date())).toBe(true);
    expect((await call("/organisation", token)).status).toBe(401);
  });

  it("creates a token in the console, shows it once, and the API accepts it", async () => {
    await staffAccount(database(), "buat-token@lsm.id", orgs.lsm);
    const client = new ConsoleClient(berdaya.url);
    await client.login("buat-token@lsm.id");
    await client.get("/console/token-api");
    const created = await client.post("/console/token-api", { name: "Sistem desa" });
    expect(created.status).toBe(201);
    const token = /<code class="token">([^<]+)<\/code>/.exec(created.text)?.[1] ?? "";
    expect(token).toMatch(/^bdy_/);
    expect(await (await call("/organisation", token)).json()).toMatchObject({ id: orgs.lsm });
    expect((await client.get("/console/token-api")).text).not.toContain(token);
  });

  it("serves an OpenAPI 3.1 document without a token", async () => {
    const response = await fetch(`${berdaya.url}/api/v1/openapi.json`);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(document.openapi).toBe("3.1.0");
    expect(document.paths["/organisation"]?.get?.responses["200"]).toBeDefined();
  });

  it("answers unknown API paths with a JSON 404", async () => {
    const response = await call("/tidak-ada", await apiToken(database(), orgs.lsm));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "not_found" });
  });
});
