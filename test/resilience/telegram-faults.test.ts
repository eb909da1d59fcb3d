import { describeTelegramFaults } from "./telegram-faults.js";

/**
 * A short run of the Telegram fault scenario on PGlite: 429s, 5xx and dropped connections, no
 * request left hanging (each costs the client's timeout); `npm run test:faults` runs the long
 * one on PostgreSQL.
 */
describeTelegramFaults("pglite", {
  residents: 5,
  turns: 5,
  sendFaultRate: 0.15,
  pollFaultRate: 0.15,
  hangs: false,
  // Each chat meets one fault, and every kind comes once.
  seed: 1429,
});
