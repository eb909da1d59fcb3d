import { describeWebhookLoad } from "./webhook-load.js";

// 50 residents in the normal suite; `npm run test:faults` sends 300 (test/faults/).
describeWebhookLoad(50, 60_000);
