import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { simulatorRoutes } from "../../src/channels/simulator/routes.js";
import { type Core, openCore } from "../../src/core.js";
import { healthRoutes } from "../../src/http/health.js";
import { describeEachDatabase } from "../support/database.js";
import { serve, type TestServer } from "../support/http.js";
import { capturedLog, coreConfig } from "../telegram/support.js";
import { playTranscript } from "../transcripts/run.js";
import { erasedResident, scenario } from "./scenario.js";

/** A resident whose profile cannot be saved (a constraint the test adds): the turn fails. */
const failingTurn = `@as warga-gagal Ibu Gagal
> daftar MJH01
> setuju
> Gagalia Simpanudin
> balikpapan tengah
> gunung sari ilir
> ibu rumah tangga
> 0852 1111 2222
> ya
`;
/** A message that cannot even be stored (another constraint): the simulator answers 500. */
const unstorable = "pesan rahasia Bu Unstora 0811 2222 3333";

const secrets = [
  ...erasedResident.filter((value) => !value.startsWith("warga-")),
  "Gagalia",
  "Simpanudin",
  "85211112222",
  "0852 1111 2222",
  "Unstora",
  "81122223333",
  "pesan rahasia",
];

describeEachDatabase(
  "logs, error responses and metrics never hold residents' words",
  (database) => {
    const captured = capturedLog();
    let core: Core;
    let server: TestServer;
    let transcript = "";

    beforeAll(async () => {
      const { db } = database();
      await db.execute(sql`alter table contacts add constraint test_refuses_name
      check (name is distinct from 'Gagalia Simpanudin')`);
      await db.execute(sql`alter table inbound_messages add constraint test_refuses_text
      check (text is null or text not like 'pesan rahasia%')`);
      transcript = await playTranscript(scenario + failingTurn, database(), captured.log);
      core = await openCore(coreConfig(), captured.log, { database: database() });
      server = await serve(
        [simulatorRoutes(core.pipeline), healthRoutes([], core.registry)],
        captured.log,
      );
    });
    afterAll(async () => {
      await server?.close();
      await core?.close();
    });

    it("a failed turn is logged, and the resident gets the apology, without what they typed", () => {
      expect(transcript).toContain("Data Anda sudah dihapus");
      expect(transcript).toContain("sedang ada gangguan");
      expect(captured.text()).toContain("turn failed");
    });

    it("a message that cannot be stored is a bare 500, logged without its text", async () => {
      const response = await fetch(`${server.url}/api/simulator/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ from: "warga-unstora", text: unstorable, name: "Bu Unstora" }),
      });
      expect(response.status).toBe(500);
      const body = await response.text();
      expect(body).toBe('{"error":"internal_error"}');
      expect(captured.text()).toContain("request failed");
    });

    it("metrics name no resident", async () => {
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toContain("berdaya_");
      for (const secret of secrets) expect(metrics).not.toContain(secret);
    });

    it("no log line holds a name, a phone number or a message text", () => {
      const logs = captured.text();
      expect(logs.length).toBeGreaterThan(0);
      const leaked = secrets.filter((secret) => logs.includes(secret));
      expect(leaked).toEqual([]);
    });
  },
);
