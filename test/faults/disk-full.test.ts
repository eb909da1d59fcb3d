import { mkdtempSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { amcheck } from "@electric-sql/pglite/contrib/amcheck";
import { afterAll, describe, expect, it } from "vitest";
import { type BerdayaProcess, freePort, runScript } from "../support/process.js";
import {
  registerThroughSimulator,
  registrationTurns,
  say,
  trySay,
} from "../support/simulator-resident.js";
import { mountTmpfs } from "../support/tmpfs.js";
import { waitUntil } from "../support/wait.js";

/**
 * The disk of the embedded database fills up while Berdaya runs (`npm start` on PGlite, its
 * DATA_DIR on a tmpfs of its own); the operator frees space and Berdaya goes on; it fills up
 * again, Berdaya is stopped, refuses to start on the full disk, and starts once there is room.
 * What a resident wrote is answered or refused (so it is sent again), never lost; the log says
 * in one line what happened; the data folder opens afterwards with everything committed before,
 * and amcheck finds it intact.
 */
const parent = mkdtempSync(join(tmpdir(), "berdaya-disk-full-"));
// A fresh data folder takes about 40 MB.
const disk = mountTmpfs(join(parent, "disk"), "size=64m");
const walDisk = mountTmpfs(join(parent, "wal"), "size=64m");
const started: BerdayaProcess[] = [];
afterAll(async () => {
  // A failed assertion leaves a process running on the disk.
  for (const berdaya of started) {
    berdaya.child.kill("SIGKILL");
    await berdaya.exited;
  }
  disk?.unmount();
  walDisk?.unmount();
  rmSync(parent, { recursive: true, force: true });
});

const dataDir = disk ? join(disk.path, "data") : "";
const filler = disk ? join(disk.path, "filler") : "";

const registered = "Pendaftaran berhasil! Anda terdaftar di Menjahit Dasar";

interface Resident {
  from: string;
  name: string;
  phone: string;
  code: string;
}
const resident = (n: number): Resident => ({
  from: `warga-disk-${n}`,
  name: `Siti Rahayu ${"ABCDEFGHIJKLMNOPQRST"[n]}`,
  phone: `0812 3456 78${String(n).padStart(2, "0")}`,
  code: "MJH01",
});

/** Fills the disk up to `headroomBytes` of free space. */
function fill(headroomBytes: number): void {
  const { bavail, bsize } = statfsSync(disk?.path ?? "");
  writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - headroomBytes)));
}

/** A message that was not answered 200: which resident's which registration turn. */
interface Refused {
  resident: Resident;
  turn: number;
  status: number;
}

/**
 * New residents (numbered from `firstNumber`) register one after the other until a message is
 * refused; answers with those who registered and the refused message.
 */
async function registerUntilRefused(
  url: string,
  firstNumber: number,
): Promise<{ completed: Resident[]; refused: Refused }> {
  const completed: Resident[] = [];
  for (let n = firstNumber; n < firstNumber + 30; n++) {
    const someone = resident(n);
    const turns = registrationTurns(someone);
    for (const [turn, text] of turns.entries()) {
      const { status, replies } = await trySay(url, someone.from, text);
      if (status !== 200) return { completed, refused: { resident: someone, turn, status } };
      expect(replies.length, "an answered message gets a reply").toBeGreaterThan(0);
      if (turn === turns.length - 1) {
        expect(replies.join("\n")).toContain(registered);
        completed.push(someone);
      }
    }
  }
  throw new Error("the disk never filled up");
}

/** Sends the refused message again and the rest of that resident's registration. */
async function finishRegistration(url: string, refused: Refused): Promise<string[]> {
  let replies: string[] = [];
  for (const text of registrationTurns(refused.resident).slice(refused.turn)) {
    replies = await say(url, refused.resident.from, text);
  }
  return replies;
}

async function readiness(url: string): Promise<{ status: number; detail: string | undefined }> {
  const response = await fetch(`${url}/readyz`);
  const body = (await response.json()) as { checks: { database: { detail?: string } } };
  return { status: response.status, detail: body.checks.database.detail };
}

const diskFullLine = "DATA_DIR: disk full";
const occurrences = (text: string, part: string) => text.split(part).length - 1;

/**
 * Opens a PGlite data folder and runs PostgreSQL's amcheck over it: every B-tree index checked
 * against its table (`bt_index_check` with heapallindexed, which throws on corruption), every
 * table's pages (`verify_heapam`, which lists what is wrong). Close the database when done.
 */
async function openChecked(folder: string) {
  const database = await PGlite.create({ dataDir: folder, extensions: { amcheck } });
  await database.exec("create extension if not exists amcheck");
  const checked = await database.query(`
    select bt_index_check(c.oid, true) from pg_class c join pg_am a on a.oid = c.relam
    where c.relkind = 'i' and a.amname = 'btree' and c.relpersistence = 'p'`);
  const { rows } = await database.query(`
    select c.relname, v.blkno, v.msg from pg_class c, verify_heapam(c.oid) v
    where c.relkind in ('r', 'm', 't') and c.relpersistence = 'p'`);
  return { database, indexes: checked.rows.length, problems: rows };
}

async function start(): Promise<{ berdaya: BerdayaProcess; url: string }> {
  const port = await freePort();
  const berdaya = runScript("src/main.ts", {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    SIMULATOR_ENABLED: "true",
  });
  started.push(berdaya);
  await berdaya.waitFor("Berdaya berjalan");
  return { berdaya, url: `http://127.0.0.1:${port}` };
}

describe.skipIf(!disk)("the embedded database's disk fills up while Berdaya runs", () => {
  it("refuses what it cannot store, says so once, recovers, and keeps every committed conversation", async () => {
    const first = await start();
    const before = [resident(1), resident(2)];
    for (const someone of before) {
      expect((await registerThroughSimulator(first.url, someone)).join("\n")).toContain(registered);
    }
    const logFrom = first.berdaya.stdout().length;

    // The disk fills up, with room for a few turns: residents register until one is refused.
    fill(192 * 1024);
    const episode = await registerUntilRefused(first.url, 3);
    const committed = [...before, ...episode.completed];
    // Refused so that the client sends it again; refused again while the disk is full.
    expect(episode.refused.status).toBe(503);
    const again = registrationTurns(episode.refused.resident)[episode.refused.turn] ?? "";
    expect((await trySay(first.url, episode.refused.resident.from, again)).status).toBe(503);
    const unready = await readiness(first.url);
    expect(unready.status).toBe(503);
    expect(unready.detail).toMatch(
      /^disk full: \d+ KB free for the embedded database in .*\/pglite; free some space$/,
    );
    await first.berdaya.waitFor(diskFullLine);

    // Space is freed while Berdaya runs: it is ready again and the refused message is answered.
    rmSync(filler);
    expect(await readiness(first.url)).toEqual({ status: 200, detail: undefined });
    expect((await finishRegistration(first.url, episode.refused)).join("\n")).toContain(registered);
    committed.push(episode.refused.resident);
    await first.berdaya.waitFor("DATA_DIR: room on the disk");

    // It fills up again, to the last byte, and Berdaya is stopped while it is full.
    fill(0);
    const last = await registerUntilRefused(first.url, 40);
    committed.push(...last.completed);
    await waitUntil(
      "the second disk-full line",
      () => occurrences(first.berdaya.stdout(), diskFullLine) === 2,
    );
    first.berdaya.child.kill("SIGTERM");
    expect(await first.berdaya.exited).toBe(0);

    const log = first.berdaya.stdout().slice(logFrom).trim().split("\n");
    const full = log.filter((line) => line.includes(diskFullLine));
    expect(full, log.join("\n")).toHaveLength(2);
    for (const line of full) expect(JSON.parse(line)).toMatchObject({ level: 50 });
    for (const line of log) {
      // One line each, without stack or query, and without anything a resident wrote.
      expect(() => JSON.parse(line), line).not.toThrow();
      expect(line).not.toMatch(/stack|Failed query|Siti|0812|3456/);
    }
    expect(first.berdaya.stderr()).toBe("");

    // Started again on the full disk: refused, in one line that says what to do.
    const refusedStart = runScript("src/main.ts", {
      DATA_DIR: dataDir,
      PORT: "1",
      LOG_LEVEL: "silent",
    });
    expect(await refusedStart.exited).toBe(1);
    expect(refusedStart.stderr()).toMatch(
      /^Berdaya could not start: DATA_DIR: .*: the disk is full; free some space \(ENOSPC\)\n$/,
    );

    // The operator frees space and starts Berdaya again: everything committed is there.
    rmSync(filler);
    const second = await start();
    try {
      for (const someone of committed) {
        expect((await say(second.url, someone.from, "saya")).join("\n"), someone.from).toContain(
          "Menjahit Dasar",
        );
      }
      expect((await finishRegistration(second.url, last.refused)).join("\n")).toContain(registered);
      expect((await readiness(second.url)).status).toBe(200);
    } finally {
      second.berdaya.child.kill("SIGTERM");
      expect(await second.berdaya.exited).toBe(0);
    }
    const check = await openChecked(join(dataDir, "pglite"));
    await check.database.close();
    expect(check.indexes).toBeGreaterThan(50);
    expect(check.problems).toEqual([]);
  }, 180_000);
});

describe.skipIf(!walDisk)("the disk fills up just as PGlite needs its next WAL file", () => {
  it("keeps every committed write once the process is killed and there is room", async () => {
    const folder = join(walDisk?.path ?? "", "pglite");
    const walFiller = join(walDisk?.path ?? "", "filler");
    const writer = runScript("test/faults/wal-writer.ts", {}, [folder, walFiller]);
    started.push(writer);
    await writer.waitFor("refused after");
    const refusal = /refused after (\d+) updates: (.*)/.exec(writer.stdout());
    expect(refusal?.[2]).toMatch(/^53100 could not write to file "pg_wal\/xlogtemp/);
    // PGlite hangs from here on (PGlite 0.5): as a liveness probe would, end the process.
    writer.child.kill("SIGKILL");
    await writer.exited;

    rmSync(walFiller);
    const check = await openChecked(folder);
    try {
      const { rows } = await check.database.query<{ updated: number }>(
        "select count(*)::int as updated from t where v not like 'x%'",
      );
      expect(rows[0]?.updated).toBe(Math.min(Number(refusal?.[1]), 20_000));
      expect(check.problems).toEqual([]);
      await check.database.query("update t set v = 'lagi' where id = 1");
    } finally {
      await check.database.close();
    }
  }, 120_000);
});
