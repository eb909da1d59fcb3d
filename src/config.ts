import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";
import { parsePhone } from "./engine/understand/phone.js";

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

const wholeNumber = (min: number, max: number) => {
  const message = `expected a whole number from ${min} to ${max}`;
  return z.coerce
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });
};

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
    OFFER_TTL: duration.default(86_400_000),
    // Each turn reads the times of the resident's last FLOOD_LIMIT + 1 messages: kept small.
    FLOOD_LIMIT: wholeNumber(2, 1000).default(20),
    SIMULATOR_ENABLED: boolean.optional(),
    ADMIN_EMAIL: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email({ error: "expected an email address" }))
      .optional(),
    ADMIN_PASSWORD: z.string().min(10, { error: "expected at least 10 characters" }).optional(),
    TELEGRAM_BOT_TOKEN: z
      .string()
      .trim()
      .regex(/^\d+:[\w-]{30,}$/, { error: "expected a token from @BotFather, like 123456:ABC-…" })
      .optional(),
    TELEGRAM_API_ROOT: url(["http:", "https:"]).default("https://api.telegram.org"),
    TELEGRAM_MODE: z
      .enum(["polling", "webhook"], { error: "expected polling or webhook" })
      .optional(),
    TELEGRAM_MESSAGES_PER_SECOND: wholeNumber(1, 1000).default(30),
    TELEGRAM_CHAT_GAP: duration.default(1_000),
    TELEGRAM_REQUEST_TIMEOUT: duration.default(15_000),
    TELEGRAM_POLL_TIMEOUT: duration.default(30_000),
    WHATSAPP_ENABLED: boolean.default(false),
    CHROMIUM_PATH: z.string().trim().min(1).default("/usr/bin/chromium"),
    WHATSAPP_PAIRING_PAGE: boolean.default(false),
    WHATSAPP_PAIRING_NUMBER: z
      .string()
      .trim()
      .transform((value, context) => {
        const phone = parsePhone(value);
        if (phone.kind === "mobile") return phone.e164;
        context.addIssue({
          code: "custom",
          message: "expected an Indonesian mobile number such as +62812…",
        });
        return z.NEVER;
      })
      .optional(),
    WHATSAPP_MIN_GAP: duration.default(3_000),
    WHATSAPP_JITTER: duration.default(2_000),
    WHATSAPP_DAILY_CAP: wholeNumber(1, 100_000).default(200),
    QUIET_HOURS: z
      .string()
      .trim()
      .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, {
        error: "expected a range of WITA times such as 21:00-06:00",
      })
      .transform((value) => {
        const [start = "", end = ""] = value.split("-");
        return { start, end };
      })
      .default({ start: "21:00", end: "06:00" }),
  })
  .superRefine((env, context) => {
    if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
      context.addIssue({
        code: "custom",
        path: [env.ADMIN_EMAIL ? "ADMIN_PASSWORD" : "ADMIN_EMAIL"],
        message: "ADMIN_EMAIL and ADMIN_PASSWORD go together; set both or neither",
      });
    }
    const webhook = env.TELEGRAM_MODE === "webhook" || (!env.TELEGRAM_MODE && env.PUBLIC_URL);
    if (env.TELEGRAM_BOT_TOKEN && webhook && !env.PUBLIC_URL?.startsWith("https://")) {
      context.addIssue({
        code: "custom",
        path: ["PUBLIC_URL"],
        message: "Telegram webhooks need the public https:// address of this server",
      });
    }
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
    offerTtlMs: env.OFFER_TTL,
    floodLimit: env.FLOOD_LIMIT,
    simulatorEnabled: env.SIMULATOR_ENABLED ?? env.NODE_ENV !== "production",
    firstAdmin:
      env.ADMIN_EMAIL && env.ADMIN_PASSWORD
        ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }
        : undefined,
    telegram: env.TELEGRAM_BOT_TOKEN
      ? {
          token: env.TELEGRAM_BOT_TOKEN,
          apiRoot: env.TELEGRAM_API_ROOT,
          mode: env.TELEGRAM_MODE ?? (env.PUBLIC_URL ? "webhook" : "polling"),
          messagesPerSecond: env.TELEGRAM_MESSAGES_PER_SECOND,
          chatGapMs: env.TELEGRAM_CHAT_GAP,
          requestTimeoutMs: env.TELEGRAM_REQUEST_TIMEOUT,
          pollTimeoutSeconds: Math.ceil(env.TELEGRAM_POLL_TIMEOUT / 1000),
        }
      : undefined,
    whatsapp: {
      enabled: env.WHATSAPP_ENABLED,
      chromiumPath: env.CHROMIUM_PATH,
      pairingPage: env.WHATSAPP_PAIRING_PAGE,
      pairingNumber: env.WHATSAPP_PAIRING_NUMBER,
      minGapMs: env.WHATSAPP_MIN_GAP,
      jitterMs: env.WHATSAPP_JITTER,
      dailyCap: env.WHATSAPP_DAILY_CAP,
    },
    quietHours: env.QUIET_HOURS,
  }));

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.join("\n")}`);
  }
}

const secretVariables = new Set(["TELEGRAM_BOT_TOKEN", "DATABASE_URL", "ADMIN_PASSWORD"]);

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

/**
 * For the command-line entry points: the configuration, or one line per wrong variable on
 * standard error and exit code 1 (no stack trace). Also sets the process time zone.
 */
export function loadConfigOrExit(): Config {
  try {
    const config = loadConfig();
    process.env.TZ = config.timeZone;
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(problem);
    process.exit(1);
  }
}
