import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { flowsFolder } from "../../src/core.js";
import { actions } from "../../src/domain/actions.js";
import { flowJsonSchema } from "../../src/engine/flow-schema.js";
import { FlowLoadError, loadFlows, parseFlows } from "../../src/engine/loader.js";
import { flowFile, lineWith, problemsOf, trivialFlow, withRequired } from "./flow-files.js";

const knownActions = ["contact.status", "programmes.list_open", "registrations.create"];

describe("steps and actions", () => {
  it("names an unknown action at its line and lists the known ones", () => {
    const text = `id: kirim
version: 1
start: simpan
steps:
  simpan:
    type: action
    action: kirim_sms
    next: selesai
  selesai:
    type: end
`;
    expect(problemsOf([flowFile("kirim", text)], knownActions)).toEqual([
      {
        file: "flows/kirim.yaml",
        line: lineWith(text, "action: kirim_sms"),
        message:
          'unknown action "kirim_sms"; known actions: contact.status, programmes.list_open, registrations.create',
      },
    ]);
  });

  it("points at the line of a `next:` to a step that does not exist, and suggests the steps", () => {
    const text = `id: sapa
version: 1
start: halo
steps:
  halo:
    type: say
    text: "Halo."
    next: penutupp
  penutup:
    type: end
`;
    expect(problemsOf([flowFile("sapa", text)])).toEqual([
      {
        file: "flows/sapa.yaml",
        line: lineWith(text, "next: penutupp"),
        message: 'step "halo" goes to "penutupp", which does not exist; use one of: halo, penutup',
      },
      // The real penutup is now unreachable: the loader says so too.
      {
        file: "flows/sapa.yaml",
        line: lineWith(text, "type: end"),
        message: 'step "penutup" is never reached; remove it or go to it from another step',
      },
    ]);
  });

  it("names a branch case that goes to a missing step", () => {
    const text = `id: cabang
version: 1
start: tanya
steps:
  tanya:
    type: ask
    kind: yes_no
    text: "Sudah pernah ikut?"
    save: pernah
    next: cek
  cek:
    type: branch
    on: pernah
    cases:
      "true": sudahh
    default: belum
  belum:
    type: end
`;
    expect(problemsOf([flowFile("cabang", text)])).toEqual([
      {
        file: "flows/cabang.yaml",
        line: lineWith(text, '"true": sudahh'),
        message: 'step "cek" goes to "sudahh", which does not exist; use one of: tanya, cek, belum',
      },
    ]);
  });

  const branchWithLaterBadTargets = `id: cabang
version: 1
start: tanya
steps:
  tanya:
    type: ask
    kind: yes_no
    text: "Sudah pernah ikut?"
    save: pernah
    next: cek
  cek:
    type: branch
    on: pernah
    cases:
      "true": sudah
      "false": belumm
    default: lainn
  sudah:
    type: end
`;

  it("points at the line of the bad case, and at `default:` when the default is wrong", () => {
    const text = branchWithLaterBadTargets;
    const use = "use one of: tanya, cek, sudah";
    expect(problemsOf([flowFile("cabang", text)])).toEqual([
      {
        file: "flows/cabang.yaml",
        line: lineWith(text, '"false": belumm'),
        message: `step "cek" goes to "belumm", which does not exist; ${use}`,
      },
      {
        file: "flows/cabang.yaml",
        line: lineWith(text, "default: lainn"),
        message: `step "cek" goes to "lainn", which does not exist; ${use}`,
      },
    ]);
  });

  it("reports a start step that does not exist, and nothing else about that flow", () => {
    const text = `id: mulai
version: 1
start: awal
steps:
  pertama:
    type: end
  yatim:
    type: say
    text: "{tidak_ada}"
`;
    expect(problemsOf([flowFile("mulai", text)])).toEqual([
      {
        file: "flows/mulai.yaml",
        line: lineWith(text, "start: awal"),
        message: 'start step "awal" does not exist; use one of: pertama, yatim',
      },
    ]);
  });

  it("reports a sub-flow that does not exist", () => {
    const text = `id: induk
version: 1
start: panggil
steps:
  panggil:
    type: flow
    flow: profill
`;
    expect(problemsOf([flowFile("induk", text)])).toEqual([
      {
        file: "flows/induk.yaml",
        line: lineWith(text, "flow: profill"),
        message: 'unknown flow "profill"; add flows/profill.yaml',
      },
    ]);
  });

  it("reports a step never reached", () => {
    const text = `id: sapa
version: 1
start: halo
steps:
  halo:
    type: end
    text: "Halo."
  lupa:
    type: say
    text: "Tidak pernah terkirim."
`;
    expect(problemsOf([flowFile("sapa", text)])).toEqual([
      {
        file: "flows/sapa.yaml",
        line: lineWith(text, "Tidak pernah terkirim") - 1,
        message: 'step "lupa" is never reached; remove it or go to it from another step',
      },
    ]);
  });

  it("rejects a choice question without options", () => {
    const text = `id: pilih
version: 1
start: tanya
steps:
  tanya:
    type: ask
    kind: choice
    text: "Pilih pelatihan:"
    save: program
`;
    expect(problemsOf([flowFile("pilih", text)])).toEqual([
      {
        file: "flows/pilih.yaml",
        line: lineWith(text, "type: ask"),
        message: 'question "tanya" is a choice: give options or options_from',
      },
    ]);
  });

  it("rejects options on a question that is not a choice, and a kelurahan without kecamatan", () => {
    const text = `id: tanya
version: 1
start: umur
steps:
  umur:
    type: ask
    kind: number
    text: "Berapa umur Anda?"
    options:
      - { id: muda, label: "Muda" }
    save: umur
    next: kelurahan
  kelurahan:
    type: ask
    kind: kelurahan
    text: "Kelurahan?"
    save: kelurahan
`;
    expect(problemsOf([flowFile("tanya", text)])).toEqual([
      {
        file: "flows/tanya.yaml",
        line: lineWith(text, "kind: number") - 1,
        message: 'question "umur" is a number: options only go with choice questions',
      },
      {
        file: "flows/tanya.yaml",
        line: lineWith(text, "kind: kelurahan") - 1,
        message: 'question "kelurahan" asks a kelurahan: name the kecamatan variable',
      },
    ]);
  });
});

describe("variables", () => {
  it("rejects a variable set only on one arm of a branch and used after the arms meet", () => {
    const text = `id: sapa
version: 1
start: tanya
steps:
  tanya:
    type: ask
    kind: yes_no
    text: "Boleh kami tahu nama Anda?"
    save: boleh
    next: cek
  cek:
    type: branch
    on: boleh
    cases:
      "true": nama
    default: akhir
  nama:
    type: ask
    kind: text
    text: "Siapa nama Anda?"
    save: nama
    next: akhir
  akhir:
    type: end
    text: "Terima kasih, {nama}."
`;
    expect(problemsOf([flowFile("sapa", text)])).toEqual([
      {
        file: "flows/sapa.yaml",
        line: lineWith(text, "Terima kasih") - 1,
        message:
          'step "akhir" uses "nama" before it is set on every path; save it in an earlier step',
      },
    ]);
  });

  it("accepts a variable set on every arm, a choice's <save>_label, and the built-in variables", () => {
    const text = `id: sapa
version: 1
start: pilih
steps:
  pilih:
    type: ask
    kind: choice
    text: "Dari {organisation_name}: pilih"
    options:
      - { id: a, label: "A" }
      - { id: b, label: "B" }
    save: pilihan
    next: cek
  cek:
    type: branch
    on: pilihan
    cases:
      a: isi_a
    default: isi_b
  isi_a:
    type: set
    values: { kata: "satu" }
    next: akhir
  isi_b:
    type: set
    values: { kata: "dua" }
    next: akhir
  akhir:
    type: end
    text: "{pilihan_label} {kata} {start_text} {start_reason}"
`;
    expect(problemsOf([flowFile("sapa", text)])).toEqual([]);
  });

  /** Sets nama on every path, or (sometimes) lets the resident skip it. */
  const profil = (sometimes: boolean) =>
    flowFile(
      "profil",
      `id: profil
version: 1
start: tanya
steps:
  tanya:
    type: ask
    kind: yes_no
    text: "Isi nama sekarang?"
    save: isi
    next: cek
  cek:
    type: branch
    on: isi
    cases:
      "true": nama
    default: lain
  nama:
    type: ask
    kind: text
    text: "Siapa nama Anda?"
    save: nama
  lain:
    ${sometimes ? 'type: end\n    text: "Baik, lain kali."' : 'type: set\n    values: { nama: "Ibu/Bapak" }'}
`,
    );
  const daftar = `id: daftar
version: 1
start: panggil
steps:
  panggil:
    type: flow
    flow: profil
    return_to: sapa
  sapa:
    type: end
    text: "Halo {nama}, pendaftaran dimulai."
`;

  it("accepts a variable that a sub-flow (type: flow with return_to) sets on every path", () => {
    expect(problemsOf([profil(false), flowFile("daftar", daftar)])).toEqual([]);
  });

  it("rejects a variable that the sub-flow sets only on some paths", () => {
    expect(problemsOf([profil(true), flowFile("daftar", daftar)])).toEqual([
      {
        file: "flows/daftar.yaml",
        line: lineWith(daftar, "Halo {nama}") - 1,
        message:
          'step "sapa" uses "nama" before it is set on every path; save it in an earlier step',
      },
    ]);
  });

  it("checks variables in action args, paths (on, items_from, options_from) and option labels", () => {
    const text = `id: cek
version: 1
start: kirim
steps:
  kirim:
    type: action
    action: contact.status
    args: { query: "{kata_kunci}" }
    next: cabang
  cabang:
    type: branch
    on: status.consent
    cases: {}
    default: pilih
  pilih:
    type: ask
    kind: choice
    text: "Pilih:"
    options_from: program.options
    save: program_id
    next: daftar
  daftar:
    type: list
    text: "Jadwal:"
    items_from: jadwal.items
    empty: "Kosong."
`;
    const at = (step: string) => lineWith(text, `  ${step}:`) + 1;
    const uses = (step: string, variable: string) =>
      `step "${step}" uses "${variable}" before it is set on every path; save it in an earlier step`;
    expect(problemsOf([flowFile("cek", text)], knownActions)).toEqual([
      { file: "flows/cek.yaml", line: at("kirim"), message: uses("kirim", "kata_kunci") },
      { file: "flows/cek.yaml", line: at("cabang"), message: uses("cabang", "status") },
      { file: "flows/cek.yaml", line: at("pilih"), message: uses("pilih", "program") },
      { file: "flows/cek.yaml", line: at("daftar"), message: uses("daftar", "jadwal") },
    ]);
  });

  it("accepts a set value that uses a variable set earlier in the same step", () => {
    const text = `id: sapa
version: 1
start: isi
steps:
  isi:
    type: set
    values:
      nama: "Siti"
      sapaan: "Ibu {nama}"
    next: akhir
  akhir:
    type: end
    text: "Halo {sapaan}."
`;
    expect(problemsOf([flowFile("sapa", text)])).toEqual([]);
  });
});

describe("triggers", () => {
  it('rejects a trigger word used by two flows, compared normalised ("Daftar" = "daftar")', () => {
    const pelatihan = `id: pelatihan
version: 1
triggers: [pelatihan, daftar]
start: akhir
steps:
  akhir:
    type: end
`;
    const kursus = `id: kursus
version: 1
triggers:
  - kursus
  - Daftar
start: akhir
steps:
  akhir:
    type: end
`;
    expect(problemsOf([flowFile("kursus", kursus), flowFile("pelatihan", pelatihan)])).toEqual([
      {
        file: "flows/pelatihan.yaml",
        line: lineWith(pelatihan, "triggers:"),
        message: '"daftar" also starts flow "kursus"; keep it in one flow only',
      },
    ]);
  });

  it("rejects a command word that is another flow's trigger", () => {
    const saya = `id: saya
version: 1
commands: [SAYA]
start: akhir
steps:
  akhir:
    type: end
`;
    const profil = `id: profil
version: 1
triggers: [saya]
start: akhir
steps:
  akhir:
    type: end
`;
    expect(problemsOf([flowFile("profil", profil), flowFile("saya", saya)])).toEqual([
      {
        file: "flows/saya.yaml",
        line: lineWith(saya, "commands:"),
        message: '"SAYA" also starts flow "profil"; keep it in one flow only',
      },
    ]);
  });
});

describe("files", () => {
  it("reports a YAML syntax error with its line, and does not also call the flow missing", () => {
    // An unquoted text with a colon: the commonest slip when writing Indonesian texts.
    const text = `id: menu
version: 1
start: halo
steps:
  halo:
    type: end
    text: Catatan: ketik MENU
`;
    expect(problemsOf([flowFile("menu", text)])).toEqual([
      {
        file: "flows/menu.yaml",
        line: lineWith(text, "Catatan:"),
        message: "YAML syntax: Nested mappings are not allowed in compact mappings",
      },
    ]);
  });

  it("reports an alias to an anchor that is not set at the alias's line, without throwing", () => {
    const text = "id: menu\nversion: *versi\n";
    expect(problemsOf([flowFile("menu", text)])).toEqual([
      {
        file: "flows/menu.yaml",
        line: 2,
        message:
          "YAML alias: Unresolved alias (the anchor must be set before the alias): versi; write the value out instead of using & and *",
      },
    ]);
  });

  it("names the field path of a wrong type, at its line", () => {
    const text = `id: sapa
version: satu
start: halo
steps:
  halo:
    type: say
    text: 5
    next: akhir
  akhir:
    type: end
  tanya:
    type: ask
    kind: pilihan
    text: "?"
    save: x
`;
    expect(problemsOf([flowFile("sapa", text)])).toEqual([
      {
        file: "flows/sapa.yaml",
        line: lineWith(text, "version:"),
        message: "version: Invalid input: expected number, received string",
      },
      {
        file: "flows/sapa.yaml",
        line: lineWith(text, "text: 5"),
        message: "steps.halo.text: Invalid input: expected string, received number",
      },
      {
        file: "flows/sapa.yaml",
        line: lineWith(text, "kind: pilihan"),
        message: expect.stringMatching(
          /^steps\.tanya\.kind: Invalid option: expected one of "choice"\|"multi_choice"\|.*\|"photo"$/,
        ),
      },
    ]);
  });

  const unknownField = `id: sapa
version: 1
start: halo
steps:
  halo:
    type: say
    text: "Halo."
    nxt: akhir
  akhir:
    type: end
`;

  it("names an unknown field and the step it is in", () => {
    const problems = problemsOf([flowFile("sapa", unknownField)]);
    expect(problems).toEqual([
      { file: "flows/sapa.yaml", line: expect.any(Number), message: expect.any(String) },
    ]);
    expect(problems[0]!.message).toBe('steps.halo: Unrecognized key: "nxt"');
  });

  it("points at the line of the unknown field", () => {
    expect(problemsOf([flowFile("sapa", unknownField)])).toEqual([
      {
        file: "flows/sapa.yaml",
        line: lineWith(unknownField, "nxt: akhir"),
        message: 'steps.halo: Unrecognized key: "nxt"',
      },
    ]);
  });

  it("rejects a flow id that differs from its file name", () => {
    const file = { ...trivialFlow("daftar_pelatihan"), path: "flows/daftar.yaml" };
    expect(problemsOf([file])).toEqual([
      {
        file: "flows/daftar.yaml",
        line: 1,
        message: 'flow id "daftar_pelatihan" differs from the file name; rename one to match',
      },
    ]);
  });

  it("names a required flow that is missing", () => {
    const files = withRequired([]).filter((file) => file.path !== "flows/bantuan.yaml");
    expect(problemsOf(files, [], { addRequired: false })).toEqual([
      { file: "flows", line: 0, message: 'flow "bantuan" is missing; add bantuan.yaml' },
    ]);
  });

  it("names every required flow that is missing", () => {
    const files = withRequired([]).filter(
      (file) => file.path !== "flows/bantuan.yaml" && file.path !== "flows/berhenti.yaml",
    );
    expect(problemsOf(files, [], { addRequired: false })).toEqual([
      { file: "flows", line: 0, message: 'flow "bantuan" is missing; add bantuan.yaml' },
      { file: "flows", line: 0, message: 'flow "berhenti" is missing; add berhenti.yaml' },
    ]);
  });

  it("lists every problem of every file in one FlowLoadError, one `file:line: message` each", () => {
    const sapa = `id: sapa
version: 1
start: halo
steps:
  halo:
    type: say
    text: "Halo."
    next: akhirr
  akhir:
    type: end
`;
    const kirim = `id: kirim
version: 1
start: kirim
steps:
  kirim:
    type: action
    action: kirim_sms
`;
    const files = withRequired([flowFile("sapa", sapa), flowFile("kirim", kirim)]);
    let thrown: unknown;
    try {
      parseFlows(files, new Set(["contact.status"]));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FlowLoadError);
    expect((thrown as FlowLoadError).message).toBe(
      [
        "Invalid flows:",
        'flows/sapa.yaml:8: step "halo" goes to "akhirr", which does not exist; use one of: halo, akhir',
        'flows/sapa.yaml:10: step "akhir" is never reached; remove it or go to it from another step',
        'flows/kirim.yaml:7: unknown action "kirim_sms"; known actions: contact.status',
      ].join("\n"),
    );
  });
});

describe("the shipped flows", () => {
  it("load with the real actions, one flow per file", () => {
    const flows = loadFlows(flowsFolder, new Set(Object.keys(actions)));
    const files = readdirSync(flowsFolder).filter((file) => file.endsWith(".yaml"));
    expect([...flows.keys()].sort()).toEqual(files.map((file) => file.replace(".yaml", "")).sort());
  });

  it("have an up-to-date flows/schema.json (run `npm run flows:schema` after a schema change)", () => {
    const written = readFileSync(join(flowsFolder, "schema.json"), "utf8");
    expect(written).toBe(`${JSON.stringify(flowJsonSchema(), null, 2)}\n`);
  });
});
