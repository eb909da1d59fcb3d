import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { databaseUrl } from "../support/global-setup.js";
import { seedOutbox } from "./support.js";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const server = inject("postgres");
const batchSize = 50;

interface WorkerProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Resolves when stdout has printed `text`; rejects if the process exits first. */
  printed(text: string): Promise<void>;
}

/** Runs test/delivery/worker-process.ts under plain node (so SIGKILL reaches the worker itself). */
function startWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(projectRoot, "test/delivery/worker-process.ts")],
    {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? "", BATCH_SIZE: String(batchSize), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = once(child, "exit").then(([code]) => {
    for (const listener of listeners) listener();
    return code as number | null;
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    printed: (text) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (out.includes(text)) {
            listeners.delete(check);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            reject(new Error(`worker exited before printing "${text}": ${err}`));
          }
        };
        listeners.add(check);
        check();
      }),
  };
}

/** The lines the fake adapters wrote, as [rowId, contactId, sequence]. */
function sendsIn(file: string): [number, number, number][] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.split(",").map(Number) as [number, number, number]);
}

/** Each contact's sequences in the order they were sent. */
function byContact(sends: [number, number, number][]): Map<number, number[]> {
  const sequences = new Map<number, number[]>();
  for (const [, contactId, sequence] of sends) {
    sequences.set(contactId, [...(sequences.get(contactId) ?? []), sequence]);
  }
  return sequences;
}

describe.skipIf(!server)("delivery workers in several processes [postgres]", () => {
  const folder = mkdtempSync(join(tmpdir(), "berdaya-delivery-"));
  const name = `berdaya_delivery_${process.pid}`;
  let admin: postgres.Sql;
  let url = "";

  beforeAll(async () => {
    if (!server) return;
    admin = postgres(server.serverUrl, { max: 1, onnotice: () => {} });
    url = databaseUrl(server.serverUrl, name);
  });
  afterAll(async () => {
    await admin?.unsafe(`drop database if exists ${name} with (force)`);
    await admin?.end();
    rmSync(folder, { recursive: true, force: true });
  });

  /** A fresh copy of the migrated template with `contacts` × `perContact` due rows. */
  async function freshOutbox(contacts: number, perContact: number): Promise<number> {
    if (!server) throw new Error("no PostgreSQL");
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name} template ${server.templateDatabase}`);
    const database = await openDatabase({ driver: "postgres", url });
    try {
      return await seedOutbox(database.db, {
        prefix: "proc",
        contacts,
        perContact,
        channel: "simulator",
        at: new Date(Date.now() - 60_000),
      });
    } finally {
      await database.close();
    }
  }

  async function outboxStatuses(): Promise<Record<string, number>> {
    const client = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const rows = await client<{ status: string; n: number }[]>`
        select status, count(*)::int as n from outbox_messages group by status`;
      return Object.fromEntries(rows.map((row) => [row.status, row.n]));
    } finally {
      await client.end();
    }
  }

  it("three worker processes send 5,000 rows: each exactly once, each contact's in order", async () => {
    const rows = await freshOutbox(500, 10);
    const out = join(folder, "three.txt");
    const workers = ["a", "b", "c"].map((id) =>
      startWorker({ DATABASE_URL: url, OUT_FILE: out, WORKER_ID: `proc-${id}` }),
    );
    const codes = await Promise.all(workers.map((worker) => worker.exited));
    expect(codes, workers.map((worker) => worker.stderr()).join("\n")).toEqual([0, 0, 0]);

    const sends = sendsIn(out);
    expect(sends).toHaveLength(rows);
    expect(new Set(sends.map(([id]) => id)).size).toBe(rows);
    const sequences = byContact(sends);
    expect(sequences.size).toBe(500);
    for (const list of sequences.values()) {
      expect(list).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
    // Their shares add up (and show the work was shared, when they started close together).
    const shares = workers.map((worker) => Number(/done (\d+)/.exec(worker.stdout())?.[1]));
    expect(shares.reduce((sum, share) => sum + share, 0)).toBe(rows);
    console.info(`rows sent per process: ${shares.join(", ")}`);
    expect(await outboxStatuses()).toEqual({ sent: rows });
  }, 60_000);

  it("a worker killed mid-run: its rows are taken over when the lease ends; only its in-flight batch may go twice", async () => {
    const rows = await freshOutbox(500, 10);
    const out = join(folder, "killed.txt");
    const leaseMs = 30_000;
    const doomed = startWorker({
      DATABASE_URL: url,
      OUT_FILE: out,
      WORKER_ID: "proc-doomed",
      LEASE_MS: String(leaseMs),
      PROGRESS_AFTER: "1500",
    });
    await doomed.printed("progress");
    doomed.child.kill("SIGKILL");
    await doomed.exited;
    const sentBeforeKill = sendsIn(out).length;
    expect(sentBeforeKill).toBeGreaterThanOrEqual(1500);
    expect(sentBeforeKill).toBeLessThan(rows);

    // The next worker's clock is past the dead one's leases.
    const next = startWorker({
      DATABASE_URL: url,
      OUT_FILE: out,
      WORKER_ID: "proc-next",
      CLOCK_OFFSET_MS: String(leaseMs + 1_000),
    });
    expect(await next.exited, next.stderr()).toBe(0);

    const sends = sendsIn(out);
    const times = new Map<number, number>();
    for (const [id] of sends) times.set(id, (times.get(id) ?? 0) + 1);
    expect(times.size).toBe(rows);
    const twice = [...times.values()].filter((count) => count === 2).length;
    expect([...times.values()].every((count) => count === 1 || count === 2)).toBe(true);
    // Sent by the killed worker but not recorded as sent: at most its batch in flight.
    expect(twice).toBeLessThanOrEqual(batchSize);
    for (const list of byContact(sends).values()) {
      // A re-sent message repeats in place; otherwise the order holds.
      expect(list.filter((sequence, i) => sequence !== list[i - 1])).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
      ]);
    }
    expect(await outboxStatuses()).toEqual({ sent: rows });
    console.info(`killed worker: ${twice} message(s) of unknown outcome were sent again`);
  }, 60_000);
});
