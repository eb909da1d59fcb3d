import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { noEnvFile } from "./support/process.js";

function problemsFor(env: Record<string, string>): string[] {
  try {
    loadConfig(env, noEnvFile);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("works untouched: embedded PGlite in ./data/pglite, port 3000, WITA, simulator on", () => {
    const config = loadConfig({}, noEnvFile);
    expect(config.database).toEqual({ driver: "pglite", dataDir: resolve("data/pglite") });
    expect(config.port).toBe(3000);
    expect(config.timeZone).toBe("Asia/Makassar");
    expect(config.simulatorEnabled).toBe(true);
    expect(config.seedDemo).toBe(true);
    expect(config.conversationIdleTimeoutMs).toBe(24 * 3_600_000);
    expect(config.telegram).toBeUndefined();
    expect(config.whatsapp).toEqual({
      enabled: false,
      chromiumPath: "/usr/bin/chromium",
      pairingPage: false,
      pairingNumber: undefined,
      minGapMs: 3_000,
      jitterMs: 2_000,
      dailyCap: 200,
    });
    expect(config.quietHours).toEqual({ start: "21:00", end: "06:00" });
  });

  it("uses PostgreSQL when DATABASE_URL is set, and then seeds no demo data", () => {
    const config = loadConfig({ DATABASE_URL: "postgres://u@db:5432/berdaya" }, noEnvFile);
    expect(config.database).toEqual({ driver: "postgres", url: "postgres://u@db:5432/berdaya" });
    expect(config.seedDemo).toBe(false);
  });

  it("names the variable, what was given and what is expected, one line each", () => {
    expect(problemsFor({ PORT: "abc" })).toEqual([
      'PORT: expected a port number from 1 to 65535, got "abc"',
    ]);
    const problems = problemsFor({
      PORT: "70000",
      LOG_LEVEL: "loud",
      WHATSAPP_ENABLED: "maybe",
      DATABASE_URL: "mysql://x",
    });
    expect(problems).toHaveLength(4);
    expect(problems).toContain('PORT: expected a port number from 1 to 65535, got "70000"');
    expect(problems.find((line) => line.startsWith("LOG_LEVEL:"))).toContain('got "loud"');
    expect(problems.find((line) => line.startsWith("WHATSAPP_ENABLED:"))).toBe(
      'WHATSAPP_ENABLED: expected true or false, got "maybe"',
    );
    expect(problems.find((line) => line.startsWith("DATABASE_URL:"))).toBe(
      "DATABASE_URL: expected a URL starting with postgres:// or postgresql://, got a value (hidden)",
    );
  });

  it("checks the WhatsApp and delivery settings, normalising the pairing number", () => {
    const config = loadConfig(
      { WHATSAPP_PAIRING_NUMBER: "0812-3456-7890", QUIET_HOURS: "22:00-05:30" },
      noEnvFile,
    );
    expect(config.whatsapp.pairingNumber).toBe("+6281234567890");
    expect(config.quietHours).toEqual({ start: "22:00", end: "05:30" });
    expect(
      problemsFor({
        WHATSAPP_PAIRING_NUMBER: "0542 123456",
        QUIET_HOURS: "malam",
        WHATSAPP_DAILY_CAP: "0",
      }),
    ).toEqual([
      'WHATSAPP_PAIRING_NUMBER: expected an Indonesian mobile number such as +62812…, got "0542 123456"',
      'WHATSAPP_DAILY_CAP: expected a whole number from 1 to 100000, got "0"',
      'QUIET_HOURS: expected a range of WITA times such as 21:00-06:00, got "malam"',
    ]);
  });

  it("asks for an https PUBLIC_URL when Telegram runs on a webhook", () => {
    const token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";
    expect(problemsFor({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_MODE: "webhook" })).toEqual([
      "PUBLIC_URL: Telegram webhooks need the public https:// address of this server, got nothing",
    ]);
    expect(problemsFor({ TELEGRAM_BOT_TOKEN: token, PUBLIC_URL: "http://bot.contoh.id" })).toEqual([
      'PUBLIC_URL: Telegram webhooks need the public https:// address of this server, got "http://bot.contoh.id"',
    ]);
  });

  it("takes the first administrator from ADMIN_EMAIL and ADMIN_PASSWORD, both or neither", () => {
    expect(
      loadConfig({ ADMIN_EMAIL: " Admin@Dinsos.id", ADMIN_PASSWORD: "rahasia-panjang" }, noEnvFile)
        .firstAdmin,
    ).toEqual({ email: "admin@dinsos.id", password: "rahasia-panjang" });
    expect(problemsFor({ ADMIN_EMAIL: "admin@dinsos.id" })).toEqual([
      "ADMIN_PASSWORD: ADMIN_EMAIL and ADMIN_PASSWORD go together; set both or neither, got nothing",
    ]);
    expect(problemsFor({ ADMIN_EMAIL: "bukan-email", ADMIN_PASSWORD: "pendek" })).toEqual([
      'ADMIN_EMAIL: expected an email address, got "bukan-email"',
      "ADMIN_PASSWORD: expected at least 10 characters, got a value (hidden)",
    ]);
  });

  it("rejects an unknown time zone and a malformed Telegram token without echoing the token", () => {
    const problems = problemsFor({ TZ: "Mars/Olympus", TELEGRAM_BOT_TOKEN: "secret-ish" });
    expect(problems).toEqual([
      'TZ: Berdaya shows and schedules times in WITA; expected Asia/Makassar, got "Mars/Olympus"',
      "TELEGRAM_BOT_TOKEN: expected a token from @BotFather, like 123456:ABC-…, got a value (hidden)",
    ]);
  });

  it("reads a .env file, lets the process environment win, and treats empty values as unset", () => {
    const folder = mkdtempSync(join(tmpdir(), "berdaya-env-"));
    const envFile = join(folder, ".env");
    writeFileSync(envFile, "PORT=4000\nORGANISATION_NAME=LSM Contoh\nLOG_LEVEL=\n");
    const config = loadConfig({ ORGANISATION_NAME: "Dinas Sosial" }, envFile);
    expect(config.port).toBe(4000);
    expect(config.organisationName).toBe("Dinas Sosial");
    expect(config.logLevel).toBe("info");
  });

  it("turns the simulator off in production unless asked, and picks Telegram's mode", () => {
    expect(loadConfig({ NODE_ENV: "production" }, noEnvFile).simulatorEnabled).toBe(false);
    expect(
      loadConfig({ NODE_ENV: "production", SIMULATOR_ENABLED: "true" }, noEnvFile).simulatorEnabled,
    ).toBe(true);
    const token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token }, noEnvFile).telegram?.mode).toBe("polling");
    expect(
      loadConfig({ TELEGRAM_BOT_TOKEN: token, PUBLIC_URL: "https://bot.example.id" }, noEnvFile)
        .telegram?.mode,
    ).toBe("webhook");
  });
});
