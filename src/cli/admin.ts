import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { loadConfigOrExit } from "../config.js";
import { openDatabase } from "../db/client.js";
import { organisations } from "../db/schema/index.js";
import { seedAreas } from "../db/seed.js";
import { AccountError, createStaffUser, normaliseEmail } from "../staff/accounts.js";
import { homeOrganisation } from "../staff/first-admin.js";

const usage = `Usage: npm run admin:create -- [--email E] [--name N] [--password P] [--organisation SLUG] [--role admin|staff]
Asks for what is missing. Without --organisation the account joins the first organisation.`;

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    password: { type: "string" },
    organisation: { type: "string" },
    role: { type: "string", default: "admin" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (values.role !== "admin" && values.role !== "staff") {
  console.error("--role: expected admin or staff");
  process.exit(1);
}

/** `npm run admin:create`: adds a console account (the first administrator, or more staff). */
const config = loadConfigOrExit();
const prompt = createInterface({ input: process.stdin, output: process.stdout });
const ask = async (value: string | undefined, question: string) =>
  value ?? (await prompt.question(question)).trim();
try {
  const email = await ask(values.email, "Email: ");
  const name = await ask(values.name, "Nama: ");
  const password = await ask(values.password, "Kata sandi (minimal 10 karakter): ");
  prompt.close();
  const database = await openDatabase(config.database);
  try {
    await database.migrate();
    await seedAreas(database.db);
    let organisationId: number;
    if (values.organisation) {
      const [found] = await database.db
        .select({ id: organisations.id })
        .from(organisations)
        .where(eq(organisations.slug, values.organisation));
      if (!found)
        throw new AccountError(
          "organisation",
          `no organisation with slug "${values.organisation}"`,
        );
      organisationId = found.id;
    } else {
      organisationId = await homeOrganisation(database.db, config.organisationName);
    }
    await createStaffUser(database.db, {
      email,
      name,
      password,
      role: values.role,
      organisationId,
    });
    console.log(
      `Akun ${values.role === "admin" ? "administrator" : "petugas"} ${normaliseEmail(email)} dibuat. Masuk di ${config.publicUrl}/console`,
    );
  } finally {
    await database.close();
  }
} catch (error) {
  prompt.close();
  if (!(error instanceof AccountError)) throw error;
  console.error(`${error.field}: ${error.message}`);
  process.exit(1);
}
