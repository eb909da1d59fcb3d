import { describeProcessCrashes } from "./process-crash.js";

// Three kills in the normal suite; `npm run test:faults` kills ten times (test/faults/).
describeProcessCrashes(3, 240_000);
