/**
 * Moved to src/db/sql-rows.ts; this forward remains only for test/resilience/process-crash.ts,
 * whose owner switches its import (then this file goes).
 */
export { rowsOf } from "../db/sql-rows.js";
