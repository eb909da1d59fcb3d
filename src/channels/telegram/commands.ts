/**
 * The bot's slash commands: the menu Telegram shows next to the input field, and what each
 * command means as text for the conversation engine (which understands words, not commands).
 */

/** Registered with `setMyCommands` at start; descriptions are what residents read. */
export const botCommands = [
  { command: "start", description: "Mulai / menu utama" },
  { command: "menu", description: "Menu utama" },
  { command: "daftar", description: "Daftar pelatihan" },
  { command: "jadwal", description: "Jadwal pelatihan" },
  { command: "lapor", description: "Laporkan kebutuhan" },
  { command: "bantuan", description: "Bantuan" },
] as const;

/** "/start", "/daftar MJH01", "/menu@BerdayaBot": the command, its optional bot name, the rest. */
const commandPattern = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/;

/** What Telegram allows in a `t.me/<bot>?start=<payload>` deep link. */
const deepLinkPayload = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The text a command stands for, or undefined when `text` is not a command.
 * - `/start` → "menu"; `/start MJH01` (a deep link from a poster QR code) → "daftar MJH01", so
 *   registration starts for that programme; underscores become spaces (`tata_busana`).
 * - `/help` → "bantuan" (Telegram's convention).
 * - any other command is its name plus its arguments: `/jadwal` → "jadwal",
 *   `/daftar MJH01` → "daftar MJH01", an unknown `/halo` → "halo".
 */
export function commandText(text: string): string | undefined {
  const match = commandPattern.exec(text.trim());
  if (!match) return undefined;
  const name = (match[1] ?? "").toLowerCase();
  const args = (match[2] ?? "").trim();
  if (name === "start") {
    return deepLinkPayload.test(args) ? `daftar ${args.replaceAll("_", " ")}` : "menu";
  }
  if (name === "help") return args ? `bantuan ${args}` : "bantuan";
  return args ? `${name} ${args}` : name;
}
