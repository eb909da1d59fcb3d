import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { runChatLoop } from "../channels/simulator/chat-loop.js";
import { simulatorIdPattern } from "../channels/simulator/message.js";
import {
  type ChatTransport,
  httpTransport,
  pipelineTransport,
  type Resident,
  serverAnswers,
} from "../channels/simulator/transport.js";
import { type Config, loadConfigOrExit } from "../config.js";
import { openCore } from "../core.js";
import { createLogger } from "../log.js";

const usage = `Pemakaian: npm run chat -- [--from ID] [--name NAMA] [--server URL]

Mengobrol dengan Berdaya di terminal sebagai seorang warga (kanal simulator).
  --from ID      ID warga (default "terminal"; huruf, angka, dan _ . : @ + -, maks. 64)
  --name NAMA    nama tampilan warga (opsional)
  --server URL   kirim ke server Berdaya yang berjalan di URL ini
Tanpa --server: memakai server di http://127.0.0.1:PORT bila sedang berjalan, atau menjalankan
Berdaya langsung di proses ini. Baris dibaca dari input standar; Ctrl+D untuk selesai.`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function parseOptions(): { resident: Resident; server?: string } {
  let values: { from?: string; name?: string; server?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        from: { type: "string" },
        name: { type: "string" },
        server: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${usage}`);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const from = values.from ?? "terminal";
  if (!simulatorIdPattern.test(from)) {
    fail(`--from: ID warga harus 1–64 karakter: huruf, angka, dan _ . : @ + -, bukan "${from}"`);
  }
  const name = values.name?.trim();
  if (name !== undefined && name.length > 100) fail("--name: paling banyak 100 karakter");
  if (values.server !== undefined) {
    let protocol = "";
    try {
      protocol = new URL(values.server).protocol;
    } catch {}
    if (protocol !== "http:" && protocol !== "https:") {
      fail(`--server: harus URL seperti http://127.0.0.1:3000, bukan "${values.server}"`);
    }
  }
  return { resident: { from, ...(name ? { name } : {}) }, server: values.server };
}

/** A running server if one is given or answers locally; otherwise Berdaya in this process. */
async function connect(
  config: Config,
  resident: Resident,
  server: string | undefined,
  note: (text: string) => void,
): Promise<ChatTransport> {
  if (server) {
    note(`Terhubung ke server Berdaya di ${server}.`);
    return httpTransport(server, resident);
  }
  const local = `http://127.0.0.1:${config.port}`;
  if (await serverAnswers(local)) {
    note(`Terhubung ke server Berdaya yang berjalan di ${local}.`);
    return httpTransport(local, resident);
  }
  note("Menyiapkan Berdaya di proses ini (database pertama kali bisa perlu beberapa detik)…");
  const core = await openCore(config, createLogger("silent"));
  return pipelineTransport(core, resident);
}

async function main(): Promise<number> {
  const { resident, server } = parseOptions();
  const config = loadConfigOrExit();

  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  // Only a person at a terminal is told how the chat connects; piped output stays the transcript.
  const note = (text: string) => {
    if (interactive) process.stderr.write(`${text}\n`);
  };
  const transport = await connect(config, resident, server, note);
  note(`Anda mengobrol sebagai "${resident.from}". Ctrl+D untuk selesai.\n`);
  const lines = createInterface({
    input: process.stdin,
    ...(interactive ? { output: process.stdout, prompt: "Anda: " } : { terminal: false }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  // Ctrl+C ends the chat like Ctrl+D (readline would otherwise only pause).
  lines.on("SIGINT", () => lines.close());
  try {
    const result = await runChatLoop({
      lines,
      transport,
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      interactive,
      prompt: () => lines.prompt(),
    });
    return result.failed > 0 && !interactive ? 1 : 0;
  } finally {
    lines.close();
    await transport.close();
  }
}

// Output piped into a reader that stopped early (`| head`): end quietly, like other commands.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(0);
});

main()
  .then(async (code) => {
    // Let piped output drain before leaving (stdout to a pipe is asynchronous on some systems).
    await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
    process.exit(code);
  })
  .catch((error: unknown) => {
    console.error(`Chat Berdaya tidak bisa berjalan: ${(error as Error).message}`);
    process.exit(1);
  });
