import { loadConfigOrExit } from "../config.js";
import { openDatabase } from "../db/client.js";
import { seedAreas } from "../db/seed.js";

/** `npm run db:migrate`: apply pending migrations and the area seed to the configured database. */
const config = loadConfigOrExit();
try {
  const database = await openDatabase(config.database);
  try {
    await database.migrate();
    await seedAreas(database.db);
    console.log(`Migrations applied (${database.driver}).`);
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(`Migration failed: ${(error as Error).message}`);
  process.exit(1);
}
