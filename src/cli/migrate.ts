import { ConfigError, loadConfig } from "../config.js";
import { openDatabase } from "../db/client.js";
import { seedAreas } from "../db/seed.js";

/** `npm run db:migrate`: apply pending migrations and the area seed to the configured database. */
try {
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    await database.migrate();
    await seedAreas(database.db);
    console.log(`Migrations applied (${database.driver}).`);
  } finally {
    await database.close();
  }
} catch (error) {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) console.error(problem);
  } else {
    console.error(`Migration failed: ${(error as Error).message}`);
  }
  process.exit(1);
}
