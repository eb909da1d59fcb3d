import { eq } from "drizzle-orm";
import type { Database } from "../../src/db/client.js";
import { organisations } from "../../src/db/schema/index.js";
import { seedDemo } from "../../src/db/seed.js";
import type { RunningBerdaya } from "../../src/server.js";
import { createStaffUser, findStaff } from "../../src/staff/accounts.js";
import { createApiToken } from "../../src/staff/api-tokens.js";
import type { StaffRole } from "../../src/staff/principal.js";
import { startTestServer } from "./server.js";

export const password = "kata-sandi-uji-123";

/** Berdaya as `npm start` runs it (console, API, simulator, delivery) on the given database. */
export async function startConsoleServer(
  database: Database,
  options: { clock?: () => Date } = {},
): Promise<RunningBerdaya> {
  return startTestServer({}, { database, ...options });
}

export interface Organisations {
  /** Dinas Sosial Kota Balikpapan (MJH01, MJH02 in the demo data). */
  dinsos: number;
  /** LSM Cahaya Inklusi Balikpapan (RTI01, BRS01). */
  lsm: number;
}

/** The demo organisations and programmes, seeded if the database has none yet. */
export async function demoOrganisations(database: Database, now: Date): Promise<Organisations> {
  await seedDemo(database.db, now);
  const idOf = async (slug: string) => {
    const [row] = await database.db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.slug, slug));
    if (!row) throw new Error(`no organisation ${slug}`);
    return row.id;
  };
  return { dinsos: await idOf("dinsos-balikpapan"), lsm: await idOf("lsm-cahaya-inklusi") };
}

/** A console account with the shared test password. */
export async function staffAccount(
  database: Database,
  email: string,
  organisationId: number,
  role: StaffRole = "staff",
  name = email.split("@")[0] ?? email,
) {
  const id = await createStaffUser(database.db, { email, name, password, role, organisationId });
  const staff = await findStaff(database.db, id);
  if (!staff) throw new Error("staff account not found after creating it");
  return staff;
}

/** A bearer token for the organisation, created by an administrator of it. */
export async function apiToken(database: Database, organisationId: number): Promise<string> {
  const creator = await staffAccount(
    database,
    `token-${organisationId}-${Math.random().toString(36).slice(2)}@uji.id`,
    organisationId,
  );
  const created = await createApiToken(database.db, creator, { organisationId, name: "uji" });
  if (!created) throw new Error("token not created");
  return created.token;
}

/**
 * One request to the REST API with a bearer token and an optional JSON body: the answer's status
 * and parsed JSON body.
 */
export async function apiCall(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever JSON came back
  return { status: response.status, body: (await response.json()) as any };
}

export interface Page {
  status: number;
  text: string;
  location: string | null;
  headers: Headers;
}

/**
 * A browser-like client for the console: keeps cookies, follows nothing by itself, and posts
 * forms with the CSRF token from the last page it read (unless told otherwise).
 */
export class ConsoleClient {
  private readonly cookies = new Map<string, string>();
  private csrf = "";

  constructor(readonly baseUrl: string) {}

  async get(path: string): Promise<Page> {
    return this.request(path, { method: "GET" });
  }

  /** Posts a form; `_csrf` is added from the last page unless `csrf: false` or given. */
  async post(
    path: string,
    fields: Record<string, string | readonly string[]> = {},
    { csrf = true }: { csrf?: boolean } = {},
  ): Promise<Page> {
    const body = new URLSearchParams();
    if (csrf && !("_csrf" in fields)) body.append("_csrf", this.csrf);
    for (const [name, value] of Object.entries(fields)) {
      for (const item of typeof value === "string" ? [value] : value) body.append(name, item);
    }
    return this.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
  }

  /** Logs in through the login form; throws unless it redirects into the console. */
  async login(email: string, secret = password): Promise<void> {
    await this.get("/console/masuk");
    const page = await this.post("/console/masuk", { email, password: secret });
    if (page.status !== 303 || !page.location?.includes("/console")) {
      throw new Error(`login as ${email} failed: ${page.status}`);
    }
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  private async request(path: string, init: RequestInit): Promise<Page> {
    const response = await fetch(new URL(path, this.baseUrl), {
      ...init,
      redirect: "manual",
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        cookie: [...this.cookies]
          .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
          .join("; "),
      },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const separator = pair.indexOf("=");
      const name = pair.slice(0, separator);
      const value = decodeURIComponent(pair.slice(separator + 1));
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    return {
      status: response.status,
      text,
      location: response.headers.get("location"),
      headers: response.headers,
    };
  }
}

/**
 * Points clients made before the server started (baseUrl "") at it, and logs each in with its
 * account's email.
 */
export async function logInAll(
  baseUrl: string,
  logins: readonly (readonly [ConsoleClient, string])[],
): Promise<void> {
  for (const [client, email] of logins) {
    Object.assign(client, { baseUrl });
    await client.login(email);
  }
}
