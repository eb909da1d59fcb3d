import { describeTelegramFaults } from "../resilience/telegram-faults.js";

/**
 * The long Telegram fault run, on PostgreSQL: more residents, the whole start of transcript 03,
 * and requests left unanswered past the client's timeout (15 s for sendMessage, a minute for a
 * long poll), some after the message went out.
 */
describeTelegramFaults("postgres", {
  residents: 4,
  turns: 9,
  sendFaultRate: 0.2,
  pollFaultRate: 0.2,
  hangs: true,
  seed: 20,
});
