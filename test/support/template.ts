import { openDatabase } from "../../src/db/client.js";
import { seedAreas } from "../../src/db/seed.js";

/** Opens `target`, applies the migrations and seeds the areas: the state every test starts from. */
export async function prepareTemplate(
  target: Parameters<typeof openDatabase>[0],
): Promise<Awaited<ReturnType<typeof openDatabase>>> {
  const database = await openDatabase(target);
  await database.migrate();
  await seedAreas(database.db);
  return database;
}
