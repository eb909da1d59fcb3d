import { describeDatabaseOutage } from "../resilience/database-outage.js";

/** How long PostgreSQL stays away; FAULTS_OUTAGE_SECONDS changes it. */
const cutSeconds = Number(process.env.FAULTS_OUTAGE_SECONDS ?? 30);

describeDatabaseOutage(cutSeconds * 1000, cutSeconds * 1000 + 150_000);
