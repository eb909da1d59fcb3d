import { describeTelegramFaults } from "../resilience/telegram-faults.js";

/**
 * The long Telegram fault run, on PostgreSQL: more residents, the whole start of transcript 03,
 * and requests left unanswered past the client's timeout (TELEGRAM_REQUEST_TIMEOUT and
 * TELEGRAM_POLL_TIMEOUT, shortened to 5 s each), some after the message went out.
 */
describeTelegramFaults("postgres", {
  residents: 4,
  turns: 9,
  sendFaultRate: 0.2,
  pollFaultRate: 0.2,
  hangs: true,
  seed: 20,
});
