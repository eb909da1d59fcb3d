import { describeProcessCrashes } from "../resilience/process-crash.js";

describeProcessCrashes(10, 400_000);
