import { describeDatabaseOutage } from "./database-outage.js";

// A short cut for the normal suite; `npm run test:faults` cuts for 30 s (test/faults/).
describeDatabaseOutage(2_000, 120_000);
