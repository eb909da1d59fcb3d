import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { InboundContent, OutboundMessage } from "../../src/channels/contract.js";
import type { Json } from "../../src/engine/json.js";
import { type FlowSet, parseFlows } from "../../src/engine/loader.js";
import type { ConversationState } from "../../src/engine/state.js";
import {
  type EngineContext,
  type EngineEvent,
  type EngineInput,
  type EngineOutput,
  step,
} from "../../src/engine/step.js";

/**
 * The engine driven with a small flow set of its own (test/engine/fixtures/step), so these tests
 * do not depend on the wording of the shipped flows. Action results are faked.
 */
const fixtures = fileURLToPath(new URL("fixtures/step", import.meta.url));
const actionNames = new Set(["jadwal.ambil", "catat.simpan"]);
const flows: FlowSet = parseFlows(
  readdirSync(fixtures)
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => ({
      path: join(fixtures, file),
      text: readFileSync(join(fixtures, file), "utf8"),
    })),
  actionNames,
);

const now = new Date("2026-11-28T02:00:00.000Z");
const idleTimeoutMs = 30 * 60_000;
const context: EngineContext = { flows, now, idleTimeoutMs, organisationName: "Yayasan Contoh" };
const expiresAt = new Date(now.getTime() + idleTimeoutMs).toISOString();

/** The engine's fixed texts, as a resident reads them. */
const say = {
  notUnderstood: "Maaf, saya belum mengerti jawaban Anda.",
  wayOut:
    "Jika bingung, ketik MENU untuk kembali ke menu utama atau BANTUAN untuk dibantu petugas.",
  expired:
    "Percakapan kita sebelumnya sudah ditutup karena lama tidak ada balasan. Kita mulai lagi, ya.",
  flowChanged: "Maaf, layanan ini baru saja diperbarui, jadi kita mulai lagi dari menu.",
  cancelled: "Baik, dibatalkan.",
  notText: "Maaf, saya hanya bisa membaca pesan teks. Silakan ketik pesan Anda.",
  voice:
    "Maaf, saya belum bisa mendengarkan pesan suara. Pesan suara Anda sudah kami teruskan ke petugas. Untuk dilayani sekarang, silakan ketik pesan Anda.",
  loop: "Maaf, terjadi kesalahan pada layanan. Silakan ketik MENU untuk memulai lagi.",
  menu: "Menu utama:\n\n1. Daftar pelatihan\n2. Ceritakan kebutuhan\n\nBalas dengan angka 1–2.",
  pilih:
    "Pilih pelatihan:\n\n1. Menjahit\n2. Tata boga\n3. Komputer dasar\n\nBalas dengan angka 1–3.",
  more: "Ketik LAGI untuk melihat berikutnya.",
};
const menuStarted = (reason: string, text = "") => [`MENU reason=${reason} text=${text}`, say.menu];

type FakeResults = Record<string, Json | ((args: Json) => Json)>;

interface Turn {
  state: ConversationState | null;
  /** The texts of every reply, in order. */
  replies: string[];
  messages: OutboundMessage[];
  calls: { action: string; args: Json }[];
  events: EngineEvent[];
}

/**
 * One turn as the inbound pipeline plays it: the message, then each action the engine asks for
 * answered with its fake result, until the engine waits for the resident.
 */
function turn(
  state: ConversationState | null,
  content: InboundContent | string,
  results: FakeResults = {},
  engine: EngineContext = context,
): Turn {
  const message: InboundContent =
    typeof content === "string" ? { kind: "text", text: content } : content;
  let output: EngineOutput = step(engine, state, { type: "message", content: message });
  const messages = [...output.replies];
  const events = [...output.events];
  const calls: Turn["calls"] = [];
  while (output.call) {
    if (calls.length >= 10) throw new Error("too many actions in one turn");
    const call = output.call;
    calls.push(call);
    const fake = results[call.action];
    if (fake === undefined) throw new Error(`no fake result for ${call.action}`);
    const result = typeof fake === "function" ? fake(call.args) : fake;
    output = step(engine, output.state, { type: "action_result", result });
    messages.push(...output.replies);
    events.push(...output.events);
  }
  return { state: output.state, replies: messages.map((m) => m.text), messages, calls, events };
}

/** Several messages in a row from `state`; the last turn. */
function conversation(
  state: ConversationState | null,
  messages: (InboundContent | string)[],
  results: FakeResults = {},
): Turn {
  let last: Turn | undefined;
  for (const message of messages) {
    last = turn(last ? last.state : state, message, results);
  }
  if (!last) throw new Error("no messages");
  return last;
}

/** A conversation waiting at `flowId.stepId` for an answer, as the engine stores it. */
function waitingAt(
  flowId: string,
  stepId: string,
  variables: Record<string, Json> = {},
  extra: Partial<ConversationState> = {},
): ConversationState {
  const flow = flows.get(flowId);
  if (!flow?.steps[stepId]) throw new Error(`no step ${flowId}.${stepId}`);
  return {
    flowId,
    stepId,
    flowVersion: flow.version,
    waiting: "answer",
    variables: {
      organisation_name: "Yayasan Contoh",
      start_text: "",
      start_reason: "trigger",
      ...variables,
    },
    attempts: 0,
    stack: [],
    expiresAt,
    ...extra,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

describe("a pure step", () => {
  it("gives deep-equal outputs for the same inputs and never mutates the state it is given", () => {
    const state = deepFreeze(waitingAt("kirim", "nama", { ids: [3, 5], jumlah: 2 }));
    const before = structuredClone(state);
    const input: EngineInput = { type: "message", content: { kind: "text", text: "Siti" } };
    const first = step(context, state, input);
    const second = step(context, state, input);
    expect(second).toEqual(first);
    expect(state).toEqual(before);
    expect(first.state?.variables.nama).toBe("Siti");

    const result: EngineInput = { type: "action_result", result: { nomor: 12 } };
    const waiting = deepFreeze(first.state!);
    const afterAction = step(context, waiting, result);
    expect(step(context, waiting, result)).toEqual(afterAction);
    expect(waiting.variables.hasil).toBeUndefined();
    expect(afterAction.state?.variables.hasil).toEqual({ nomor: 12 });
  });
});

describe("questions", () => {
  it("shows a choice with numbered options, how to answer, and one button per option", () => {
    const started = turn(null, "daftar");
    expect(started.messages).toEqual([
      {
        text: say.pilih,
        choices: [
          { id: "1", label: "Menjahit" },
          { id: "2", label: "Tata boga" },
          { id: "3", label: "Komputer dasar" },
        ],
      },
    ]);
    expect(started.state).toMatchObject({ flowId: "pelatihan", stepId: "pilih", expiresAt });
  });

  it.each([
    ["2", "boga", "Tata boga"],
    ["dua", "boga", "Tata boga"],
    ["komputer dasar", "komputer", "Komputer dasar"],
    ["Menjahit", "mjh", "Menjahit"],
    ["menjait", "mjh", "Menjahit"],
    ["jahit", "mjh", "Menjahit"],
  ])("saves the option id and <save>_label for the answer %j", (answer, id, label) => {
    const answered = turn(waitingAt("pelatihan", "pilih"), answer);
    expect(answered.state).toMatchObject({
      flowId: "pelatihan",
      stepId: "yakin",
      attempts: 0,
      variables: { program: id, program_label: label },
    });
    expect(answered.replies).toEqual([`Daftar ${label}?\n\nKetik YA atau TIDAK.`]);
  });

  it("saves the option a button press (choice content) picks", () => {
    const pressed = turn(waitingAt("pelatihan", "pilih"), { kind: "choice", choiceId: "3" });
    expect(pressed.state?.variables).toMatchObject({
      program: "komputer",
      program_label: "Komputer dasar",
    });
  });

  it("re-prompts an answer it cannot use, counts attempts, and offers MENU and BANTUAN the third time", () => {
    const reprompt = [
      say.notUnderstood,
      "Balas dengan angka 1–3.",
      "Ketik ULANG untuk melihat pilihannya lagi.",
    ].join("\n");
    const first = turn(waitingAt("pelatihan", "pilih"), "xyz");
    expect(first.replies).toEqual([reprompt]);
    expect(first.messages[0]?.choices).toHaveLength(3);
    expect(first.state).toMatchObject({ stepId: "pilih", attempts: 1 });
    expect(first.events).toEqual([{ type: "unrecognised", flowId: "pelatihan", stepId: "pilih" }]);

    const second = turn(first.state, "xyz");
    expect(second.replies).toEqual([reprompt]);
    expect(second.state).toMatchObject({ stepId: "pilih", attempts: 2 });

    const third = turn(second.state, "xyz");
    expect(third.replies).toEqual([`${reprompt}\n${say.wayOut}`]);
    expect(third.state).toMatchObject({ stepId: "pilih", attempts: 3 });

    const valid = turn(third.state, "1");
    expect(valid.state).toMatchObject({ stepId: "yakin", attempts: 0 });
    // The count starts again at the next question: one wrong answer there is a first try.
    const next = turn(valid.state, "xyz");
    expect(next.replies).toEqual([`${say.notUnderstood}\nKetik YA atau TIDAK.`]);
    expect(next.state).toMatchObject({ stepId: "yakin", attempts: 1 });
  });

  it("gives a free-text question's example in the re-prompt of an empty answer", () => {
    const empty = turn(waitingAt("cerita", "tanya"), "   ");
    expect(empty.replies).toEqual([`${say.notUnderstood}\nContoh: Biaya sekolah anak`]);
  });

  it('saves "tolong bantu biaya sekolah" as a free-text answer, not as BANTUAN', () => {
    const answered = turn(waitingAt("cerita", "tanya"), "tolong bantu biaya sekolah");
    expect(answered.state).toMatchObject({
      flowId: "cerita",
      stepId: "foto",
      variables: { cerita: "tolong bantu biaya sekolah" },
    });
    expect(answered.state?.suspended).toBeUndefined();
    expect(answered.replies).toEqual([
      "Kirim foto pendukung.\n\nKirim foto. Ketik LEWATI untuk melewati pertanyaan ini.",
    ]);
  });

  it("still takes BANTUAN alone as the global word at a free-text question", () => {
    const help = turn(waitingAt("cerita", "tanya"), "bantuan");
    expect(help.state).toMatchObject({ flowId: "bantuan", suspended: { stepId: "tanya" } });
  });
});

describe("global words", () => {
  it("ULANG repeats the current question and keeps the answers so far", () => {
    const state = waitingAt("pelatihan", "yakin", { program: "mjh", program_label: "Menjahit" });
    const again = turn(state, "ulang");
    expect(again.replies).toEqual(["Daftar Menjahit?\n\nKetik YA atau TIDAK."]);
    expect(again.state).toEqual({
      ...state,
      variables: { ...state.variables, message_text: "ulang" },
      expiresAt,
    });
  });

  it("BATAL says it is cancelled, forgets the answers and starts the menu", () => {
    const state = waitingAt("pelatihan", "yakin", { program: "mjh", program_label: "Menjahit" });
    const cancelled = turn(state, "batal");
    expect(cancelled.replies).toEqual([say.cancelled, ...menuStarted("command")]);
    expect(cancelled.state).toMatchObject({ flowId: "menu", stepId: "pilih", stack: [] });
    expect(cancelled.state?.variables).not.toHaveProperty("program");
  });

  it("MENU starts the menu", () => {
    const state = waitingAt("pelatihan", "yakin", { program: "mjh", program_label: "Menjahit" });
    const menu = turn(state, "MENU");
    expect(menu.replies).toEqual(menuStarted("command"));
    expect(menu.state).toMatchObject({ flowId: "menu", stepId: "pilih" });
    expect(menu.state?.variables).not.toHaveProperty("program");
  });

  it("BANTUAN mid-question runs bantuan, then resumes the question where it was", () => {
    const state = waitingAt("pelatihan", "pilih", { catatan: "tetap ada" });
    const help = turn(state, "bantuan");
    expect(help.replies).toEqual([
      "Ini bantuan.",
      "Ada yang bisa dibantu?\n\n1. Bicara dengan petugas\n2. Tidak, terima kasih\n\nBalas dengan angka 1–2.",
    ]);
    expect(help.state).toMatchObject({ flowId: "bantuan", stepId: "tanya" });

    const back = turn(help.state, "2");
    expect(back.replies).toEqual(["Baik.", `Kita lanjutkan yang tadi:\n\n${say.pilih}`]);
    expect(back.messages[1]?.choices).toHaveLength(3);
    const { expiresAt: _old, ...position } = state;
    expect(back.state).toEqual({
      ...position,
      variables: { ...position.variables, message_text: "bantuan" },
      expiresAt,
    });

    const answered = turn(back.state, "1");
    expect(answered.state).toMatchObject({ flowId: "pelatihan", stepId: "yakin" });
    expect(answered.state?.variables).toMatchObject({ program: "mjh" });
  });

  it("a global word typed loosely at a choice question still works when it is not an answer", () => {
    const help = turn(waitingAt("pelatihan", "pilih"), "sy bingung kak");
    expect(help.state).toMatchObject({ flowId: "bantuan", suspended: { stepId: "pilih" } });
  });
});

describe("ended and changed conversations", () => {
  it("says an expired conversation was closed, then handles the message fresh", () => {
    const stale = waitingAt(
      "pelatihan",
      "yakin",
      { program: "mjh" },
      { expiresAt: now.toISOString() },
    );
    const fresh = turn(stale, "daftar");
    expect(fresh.replies).toEqual([say.expired, say.pilih]);
    expect(fresh.events).toEqual([{ type: "expired" }]);
    expect(fresh.state).toMatchObject({ flowId: "pelatihan", stepId: "pilih" });
    expect(fresh.state?.variables).not.toHaveProperty("program");

    // "ya" answered the old question; now it starts the menu, without "not understood".
    const answer = turn(stale, "ya");
    expect(answer.replies).toEqual([say.expired, ...menuStarted("command", "ya")]);
  });

  it("takes the answer while the conversation has not expired yet", () => {
    const justInTime = new Date(now.getTime() + 1).toISOString();
    const state = waitingAt(
      "pelatihan",
      "yakin",
      { program_label: "Menjahit" },
      { expiresAt: justInTime },
    );
    expect(turn(state, "ya").replies).toEqual(["Daftar Menjahit: ya."]);
  });

  it("apologises and starts the menu when the stored step no longer exists, without throwing", () => {
    const gone = { ...waitingAt("pelatihan", "pilih"), stepId: "pilih_lama" };
    const restarted = turn(gone, "1");
    expect(restarted.replies).toEqual([say.flowChanged, ...menuStarted("command", "1")]);
    expect(restarted.events).toEqual([
      { type: "flow_changed", flowId: "pelatihan" },
      { type: "unrecognised", flowId: "", stepId: "" },
    ]);
    expect(restarted.state).toMatchObject({ flowId: "menu", stepId: "pilih" });
  });

  it("does the same when a sub-flow's return point or a whole flow is gone", () => {
    const returnGone = waitingAt(
      "nama",
      "tanya",
      {},
      {
        stack: [{ flowId: "profil", stepId: "benar_lama", flowVersion: 1 }],
      },
    );
    expect(turn(returnGone, "Siti").replies).toEqual([
      say.flowChanged,
      ...menuStarted("command", "Siti"),
    ]);
    const flowGone = { ...waitingAt("pelatihan", "pilih"), flowId: "pelatihan_lama" };
    expect(turn(flowGone, "halo").replies).toEqual([say.flowChanged, ...menuStarted("command")]);
  });

  it("apologises and starts the menu when the conversation BANTUAN paused has changed", () => {
    const suspended = waitingAt(
      "nama",
      "tanya",
      {},
      {
        stack: [{ flowId: "profil", stepId: "benar_lama", flowVersion: 1 }],
      },
    );
    const { expiresAt: _e, ...paused } = suspended;
    const inHelp = waitingAt("bantuan", "tanya", {}, { suspended: paused });
    expect(turn(inHelp, "2").replies).toEqual([say.flowChanged, ...menuStarted("command", "2")]);
  });

  it("asks a question again, as it is now, when its flow was edited since it was asked", () => {
    const older = { ...waitingAt("pelatihan", "pilih"), flowVersion: 1 };
    expect(flows.get("pelatihan")?.version).toBe(2);
    const asked = turn(older, "2");
    expect(asked.replies).toHaveLength(1);
    expect(asked.replies[0]).toMatch(
      /^Maaf, pertanyaan ini baru saja diperbarui\. Mohon jawab lagi:\n\n/,
    );
    expect(asked.state).toMatchObject({ flowId: "pelatihan", stepId: "pilih", flowVersion: 2 });
    expect(asked.state?.variables).not.toHaveProperty("program");
    const answered = turn(asked.state, "2");
    expect(answered.state?.stepId).not.toBe("pilih");
  });

  it("stops a flow that goes round in circles with the error text and no state", () => {
    const looped = turn(null, "putar");
    expect(looped.replies).toEqual([say.loop]);
    expect(looped.state).toBeNull();
    expect(looped.calls).toEqual([]);
  });
});

describe("lists", () => {
  const items = Array.from({ length: 7 }, (_, index) => `Sesi ${index + 1}`);
  const results = { "jadwal.ambil": { items } };

  it("shows a long list page by page with LAGI, then goes on to `next`", () => {
    const first = turn(null, "jadwal", results);
    expect(first.calls).toEqual([{ action: "jadwal.ambil", args: {} }]);
    expect(first.replies).toEqual([
      `Jadwal terdekat:\n\nSesi 1\n\nSesi 2\n\nSesi 3\n\n(3 dari 7) ${say.more}`,
    ]);
    expect(first.state).toMatchObject({ flowId: "jadwal", stepId: "tampil", waiting: "more" });

    const second = turn(first.state, "lagi");
    expect(second.replies).toEqual([`Sesi 4\n\nSesi 5\n\nSesi 6\n\n(6 dari 7) ${say.more}`]);
    expect(second.state).toMatchObject({ waiting: "more" });

    const last = turn(second.state, "LAGI");
    expect(last.replies).toEqual(["Sesi 7", "Sampai jumpa di pelatihan."]);
    expect(last.state).toBeNull();
  });

  it("shows the empty text and goes on when there is nothing to list", () => {
    const empty = turn(null, "jadwal", { "jadwal.ambil": { items: [] } });
    expect(empty.replies).toEqual(["Belum ada jadwal.", "Sampai jumpa di pelatihan."]);
    expect(empty.state).toBeNull();
  });

  it("handles another message instead of LAGI as a fresh message", () => {
    const first = turn(null, "jadwal", results);
    const other = turn(first.state, "mau daftar");
    expect(other.replies).toEqual([say.pilih]);
    expect(other.state).toMatchObject({ flowId: "pelatihan", stepId: "pilih" });
    expect(other.state?.page).toBeUndefined();

    const unknown = turn(first.state, "terima kasih banyak");
    expect(unknown.replies).toEqual(menuStarted("not_understood", "terima kasih banyak"));
  });

  it.each(["lg", "lgi"])("takes the chat spelling %j as LAGI", (typed) => {
    const first = turn(null, "jadwal", results);
    expect(turn(first.state, typed).replies).toEqual([
      `Sesi 4\n\nSesi 5\n\nSesi 6\n\n(6 dari 7) ${say.more}`,
    ]);
  });
});

describe("sub-flows and hand-offs", () => {
  it("returns from a sub-flow (return_to) to the caller's step, with its variables", () => {
    const started = turn(null, "profil");
    expect(started.replies).toEqual(["Kita isi profil dulu.", "Siapa nama Anda?"]);
    expect(started.state).toMatchObject({
      flowId: "nama",
      stepId: "tanya",
      stack: [{ flowId: "profil", stepId: "benar", flowVersion: 1 }],
    });

    const back = turn(started.state, "Siti Aminah");
    expect(back.replies).toEqual(["Benar nama Anda Siti Aminah?\n\nKetik YA atau TIDAK."]);
    expect(back.state).toMatchObject({
      flowId: "profil",
      stepId: "benar",
      stack: [],
      variables: { nama: "Siti Aminah" },
    });
  });

  it("starts a hand-off flow (no return_to) from the message that led there", () => {
    const asked = turn(null, "serah");
    const handed = turn(asked.state, "ke pasar baru");
    expect(handed.replies).toEqual(["TUJUAN reason=trigger text=ke pasar baru"]);
    expect(handed.state).toBeNull();
  });

  it("hands off from a menu answer with that answer as start_text", () => {
    const menu = turn(null, "halo");
    const handed = turn(menu.state, "2");
    expect(handed.replies).toEqual(["Ceritakan kebutuhan Anda."]);
    expect(handed.state?.variables).toMatchObject({ start_text: "2", start_reason: "trigger" });
  });

  it("keeps the resident's message as start_text when an action ran before the hand-off", () => {
    const asked = turn(null, "antar");
    const handed = turn(asked.state, "ke pasar baru", { "catat.simpan": { ok: true } });
    expect(handed.calls).toEqual([{ action: "catat.simpan", args: { arah: "ke pasar baru" } }]);
    expect(handed.replies).toEqual(["TUJUAN reason=trigger text=ke pasar baru"]);
  });
});

describe("actions", () => {
  it("asks for the action with its args filled in, and saves the result under `save`", () => {
    const asked = turn(null, "kirim");
    expect(asked.replies).toEqual(["Nama penerima?"]);

    const output = step(context, asked.state, {
      type: "message",
      content: { kind: "text", text: "Siti" },
    });
    expect(output.replies).toEqual([]);
    expect(output.call).toEqual({
      action: "catat.simpan",
      args: {
        ids: [3, 5],
        jumlah: 2,
        sapaan: "Bu Siti",
        penerima: { nama: "Siti", kode: [2, "x2"] },
        tetap: 7,
      },
    });
    expect(output.state).toMatchObject({ flowId: "kirim", stepId: "simpan", waiting: "action" });

    const resumed = step(context, output.state, {
      type: "action_result",
      result: { nomor: 12, daftar: [1, 2] },
    });
    expect(resumed.call).toBeUndefined();
    expect(resumed.replies.map((reply) => reply.text)).toEqual([
      "Nomor laporan 12. Sudah dicatat?\n\nKetik YA atau TIDAK.",
    ]);
    expect(resumed.state).toMatchObject({
      stepId: "sudah",
      waiting: "answer",
      variables: { hasil: { nomor: 12, daftar: [1, 2] } },
    });
  });
});

describe("starting a conversation", () => {
  it("starts the flow whose trigger word the idle message has, with the message as start_text", () => {
    const started = turn(null, "Saya mau DAFTAR dong");
    expect(started.replies).toEqual([say.pilih]);
    expect(started.state?.variables).toMatchObject({
      start_text: "Saya mau DAFTAR dong",
      start_reason: "trigger",
      organisation_name: "Yayasan Contoh",
    });
  });

  it("matches trigger words on whole words only", () => {
    expect(turn(null, "info pendaftaran").replies).toEqual(
      menuStarted("not_understood", "info pendaftaran"),
    );
  });

  it("starts a flow by a `commands:` word only when it is the whole message", () => {
    expect(turn(null, "Saya").replies).toEqual(["Pendaftaran Anda: belum ada."]);
    expect(turn(null, "saya lapar").replies).toEqual(menuStarted("not_understood", "saya lapar"));
    expect(turn(null, "saya mau cerita").state).toMatchObject({ flowId: "cerita" });
  });

  it('starts the menu with start_reason "not_understood" for a message it does not know', () => {
    const unknown = turn(null, "apa kabar");
    expect(unknown.replies).toEqual(menuStarted("not_understood", "apa kabar"));
    expect(unknown.events).toEqual([{ type: "unrecognised", flowId: "", stepId: "" }]);
    expect(unknown.state).toMatchObject({
      flowId: "menu",
      variables: { start_reason: "not_understood", start_text: "apa kabar" },
    });
  });

  it("takes a trigger word instead of an answer it cannot use at a yes/no question", () => {
    const switched = turn(
      waitingAt("pelatihan", "yakin", { program_label: "Menjahit" }),
      "jadwal",
      {
        "jadwal.ambil": { items: [] },
      },
    );
    expect(switched.replies).toEqual(["Belum ada jadwal.", "Sampai jumpa di pelatihan."]);
  });
});

describe("other content than text", () => {
  it("saves a photo sent at a photo question", () => {
    const state = waitingAt("cerita", "foto", { cerita: "Butuh kursi roda" });
    const sent = turn(state, { kind: "photo", mediaId: 42, caption: "ini" });
    expect(sent.state).toMatchObject({ stepId: "catatan", variables: { foto: 42 } });
  });

  it("asks again for a photo when text comes instead", () => {
    const state = waitingAt("cerita", "foto", { cerita: "Butuh kursi roda" });
    expect(turn(state, "nanti ya").replies).toEqual([
      `${say.notUnderstood}\nKirim foto. Ketik LEWATI untuk melewati pertanyaan ini.`,
    ]);
  });

  it('saves null for "lewati" at an optional question', () => {
    const skipped = conversation(waitingAt("cerita", "foto", { cerita: "Butuh kursi roda" }), [
      "lewati",
      "Lewati",
    ]);
    expect(skipped.replies).toEqual(["Tercatat: Butuh kursi roda; foto -; catatan -."]);
    expect(skipped.state).toBeNull();

    const state = turn(waitingAt("cerita", "foto", { cerita: "x" }), "lewati").state;
    expect(state).toMatchObject({ stepId: "catatan" });
    expect(state?.variables.foto).toBeNull();
  });

  it("answers a voice note with the voice text and the menu", () => {
    const voice = turn(null, { kind: "voice" });
    expect(voice.replies).toEqual([say.voice, ...menuStarted("command")]);
  });

  it("answers other content when idle with 'text only' and the menu", () => {
    const sticker = turn(null, { kind: "other", description: "sticker" });
    expect(sticker.replies).toEqual([say.notText, ...menuStarted("command")]);
  });

  it("re-prompts a photo sent at a choice question, saying it reads text only", () => {
    const photo = turn(waitingAt("pelatihan", "pilih"), { kind: "photo", mediaId: 7 });
    expect(photo.replies).toEqual([
      "Maaf, saya hanya bisa membaca pesan teks.\nBalas dengan angka 1–3.\nKetik ULANG untuk melihat pilihannya lagi.",
    ]);
    expect(photo.state).toMatchObject({ stepId: "pilih", attempts: 1 });
  });
});

describe("yes/no questions", () => {
  const at = () => waitingAt("pelatihan", "yakin", { program: "mjh", program_label: "Menjahit" });

  it.each([
    ["iyaa", "ya"],
    ["inggih", "ya"],
    ["gk", "tidak"],
    ["kada", "tidak"],
    ["indah", "tidak"],
    ["ya", "ya"],
  ])("reads %j as %s", (answer, meaning) => {
    const answered = turn(at(), answer);
    expect(answered.replies).toEqual([`Daftar Menjahit: ${meaning}.`]);
    expect(answered.state).toBeNull();
  });

  it("takes the YA / TIDAK buttons", () => {
    expect(turn(at(), { kind: "choice", choiceId: "tidak" }).replies).toEqual([
      "Daftar Menjahit: tidak.",
    ]);
  });

  it("does not read an unsure answer as yes or no", () => {
    const unsure = turn(at(), "mungkin");
    expect(unsure.replies).toEqual([`${say.notUnderstood}\nKetik YA atau TIDAK.`]);
    expect(unsure.state).toMatchObject({ stepId: "yakin", attempts: 1 });
  });
});
