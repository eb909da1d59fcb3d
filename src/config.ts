import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";

const boolean = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "expected true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

const _optionalText = z
  .string()
  .transform((value) => value.trim())
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const url = (protocols: readonly string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { error: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}` },
    );

const duration = z
  .string()
  .trim()
  .regex(/^\d+\s*(s|m|h|d)$/, { error: "expected a duration such as 30m, 24h or 2d" })
  .transform((value) => {
    const amount = Number.parseInt(value, 10);
    const unit = value.trim().slice(-1) as "s" | "m" | "h" | "d";
    return amount * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit];
  });

/** Every setting Berdaya reads from the environment. `.env.example` documents each one. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATA_DIR: z.string().trim().min(1).default("./data"),
    DATABASE_URL: url(["postgres:", "postgresql:"]).optional(),
    HOST: z.string().trim().min(1).default("0.0.0.0"),
    PORT: z.coerce
      .number({ error: "expected a port number from 1 to 65535" })
      .int({ error: "expected a port number from 1 to 65535" })
      .min(1, { error: "expected a port number from 1 to 65535" })
      .max(65535, { error: "expected a port number from 1 to 65535" })
      .default(3000),
    PUBLIC_URL: url(["http:", "https:"]).optional(),
    TZ: z
      .literal("Asia/Makassar", {
        error: "Berdaya shows and schedules times in WITA; expected Asia/Makassar",
      })
      .default("Asia/Makassar"),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "expected one of fatal, error, warn, info, debug, trace, silent",
      })
      .default("info"),
    ORGANISATION_NAME: z.string().trim().min(1).default("Dinas Sosial Kota Balikpapan"),
    SEED_DEMO: boolean.optional(),
    CONVERSATION_IDLE_TIMEOUT: duration.default(86_400_000),
    SIMULATOR_ENABLED: boolean.optional(),
    TELEGRAM_BOT_TOKEN: z
      .string()
      .trim()
      .regex(/^\d+:[\w-]{30,}$/, { error: "expected a token from @BotFather, like 123456:ABC-…" })
      .optional(),
    TELEGRAM_API_ROOT: url(["http:", "https:"]).default("https://api.telegram.org"),
    TELEGRAM_MODE: z
      .enum(["polling", "webhook"], { error: "expected polling or webhook" })
      .optional(),
    WHATSAPP_ENABLED: boolean.default(false),
    CHROMIUM_PATH: z.string().trim().min(1).default("/usr/bin/chromium"),
  })
  .transform((env) => ({
    nodeEnv: env.NODE_ENV,
    dataDir: resolve(env.DATA_DIR),
    database: env.DATABASE_URL
      ? ({ driver: "postgres", url: env.DATABASE_URL } as const)
      : ({ driver: "pglite", dataDir: resolve(env.DATA_DIR, "pglite") } as const),
    host: env.HOST,
    port: env.PORT,
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    publicUrlIsSet: env.PUBLIC_URL !== undefined,
    timeZone: env.TZ,
    logLevel: env.LOG_LEVEL,
    organisationName: env.ORGANISATION_NAME,
    seedDemo: env.SEED_DEMO ?? !env.DATABASE_URL,
    conversationIdleTimeoutMs: env.CONVERSATION_IDLE_TIMEOUT,
    simulatorEnabled: env.SIMULATOR_ENABLED ?? env.NODE_ENV !== "production",
    telegram: env.TELEGRAM_BOT_TOKEN
      ? {
          token: env.TELEGRAM_BOT_TOKEN,
          apiRoot: env.TELEGRAM_API_ROOT,
          mode: env.TELEGRAM_MODE ?? (env.PUBLIC_URL ? "webhook" : "polling"),
        }
      : undefined,
    whatsapp: { enabled: env.WHATSAPP_ENABLED, chromiumPath: env.CHROMIUM_PATH },
  }));

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.join("\n")}`);
  }
}

const secretVariables = new Set(["TELEGRAM_BOT_TOKEN", "DATABASE_URL"]);

function describeGiven(variable: string, value: unknown): string {
  if (value === undefined) return "nothing";
  if (secretVariables.has(variable)) return "a value (hidden)";
  return JSON.stringify(value);
}

/**
 * Reads the configuration from `env` (the process environment wins) and an optional `.env`
 * file. Empty values count as unset. Throws ConfigError with one line per wrong variable.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  envFile = resolve(".env"),
): Config {
  const fromFile = existsSync(envFile) ? parseDotenv(readFileSync(envFile)) : {};
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...fromFile, ...env })) {
    if (value !== undefined && value.trim() !== "") merged[key] = value;
  }
  const result = configSchema.safeParse(merged);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? "configuration");
    return `${variable}: ${issue.message}, got ${describeGiven(variable, merged[variable])}`;
  });
  throw new ConfigError(problems);
}
