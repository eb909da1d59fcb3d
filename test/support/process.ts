import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

/** A .env path that does not exist, so tests read only the environment they give. */
export const noEnvFile = join(projectRoot, "test", "support", "no-such.env");

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (typeof address !== "object" || !address) throw new Error("no port");
  return address.port;
}

export interface BerdayaProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves when stdout has printed `text`; rejects if the process exits first. */
  waitFor(text: string): Promise<void>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Runs `node --import tsx <script> [args]` from the project root with exactly the given
 * environment (plus PATH). One process, unlike tsx's own CLI (a parent relaying signals to a
 * child): SIGTERM reaches the script's own handler and SIGKILL ends the script itself.
 */
export function runScript(
  script: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): BerdayaProcess {
  return spawnWatched(process.execPath, ["--import", "tsx", script, ...args], env);
}

function spawnWatched(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
): BerdayaProcess {
  const child = spawn(command, args, {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => {
      for (const listener of listeners) listener();
      resolve(code);
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (text) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (out.includes(text)) {
            listeners.delete(check);
            resolve();
          } else if (child.exitCode !== null) {
            listeners.delete(check);
            reject(new Error(`exited ${child.exitCode} before printing "${text}": ${err}`));
          }
        };
        listeners.add(check);
        check();
      }),
  };
}
