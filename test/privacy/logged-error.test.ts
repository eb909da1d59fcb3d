import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { loggedError } from "../../src/log-errors.js";

describe("an error as it is logged", () => {
  it("keeps the SQL, the messages along the causes and the codes, not the values", () => {
    const rejected = Object.assign(
      new Error('new row for relation "contacts" violates check constraint "nama"'),
      { code: "23514", constraint: "nama", detail: "Failing row contains (7, Siti Aminah)" },
    );
    const query = new DrizzleQueryError(
      'update "contacts" set "name" = $1, "phone" = $2',
      ["Siti Aminah", "+6281234567890"],
      rejected,
    );
    const logged = loggedError(new Error("simulator turn failed", { cause: query }));
    expect(logged).toEqual({
      type: "Error",
      message:
        'simulator turn failed; caused by: Failed query: update "contacts" set "name" = $1, "phone" = $2; caused by: new row for relation "contacts" violates check constraint "nama"',
      stack: expect.stringMatching(/^ {4}at /),
      code: "23514",
      constraint: "nama",
    });
    expect(JSON.stringify(logged)).not.toMatch(/Siti|6281234567890/);
  });

  it("leaves what is not an error as it is", () => {
    expect(loggedError("boom")).toBe("boom");
  });
});
