import type { InboundPipeline } from "../../inbound/pipeline-contract.js";
import type { OutboundMessage } from "../contract.js";
import { firstProblem, simulatorInbound, simulatorMessageSchema } from "./message.js";

/** One resident's line to Berdaya and back: how the terminal chat reaches the bot. */
export interface ChatTransport {
  /** Sends one message as the resident; resolves with the replies of that turn, in order. */
  send(text: string): Promise<OutboundMessage[]>;
  close(): Promise<void>;
}

export interface Resident {
  /** The simulator id (1–64 of [A-Za-z0-9_.:@+-]). */
  from: string;
  name?: string;
}

/** Talks to a running Berdaya server's `POST /api/simulator/messages`. */
export function httpTransport(
  baseUrl: string,
  resident: Resident,
  fetchImpl: typeof fetch = fetch,
): ChatTransport {
  const endpoint = new URL("/api/simulator/messages", baseUrl);
  return {
    async send(text) {
      let response: Response;
      try {
        response = await fetchImpl(endpoint, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ from: resident.from, text, name: resident.name }),
        });
      } catch (error) {
        throw new Error(`server Berdaya di ${endpoint.origin} tidak bisa dihubungi`, {
          cause: error,
        });
      }
      if (response.status === 404) {
        throw new Error(
          `simulator tidak aktif di ${endpoint.origin} (SIMULATOR_ENABLED=false atau bukan server Berdaya)`,
        );
      }
      const body = (await response.json().catch(() => undefined)) as
        | { replies?: OutboundMessage[]; field?: string; message?: string; error?: string }
        | undefined;
      if (!response.ok) {
        const detail = body?.field ? `${body.field}: ${body.message}` : (body?.error ?? "");
        throw new Error(`server menjawab ${response.status}${detail ? ` (${detail})` : ""}`);
      }
      if (!Array.isArray(body?.replies)) throw new Error("jawaban server tidak dikenali");
      return body.replies;
    },
    async close() {},
  };
}

/** Runs each message through an in-process pipeline; `close` closes what owns it (the core). */
export function pipelineTransport(
  owner: { readonly pipeline: InboundPipeline; close(): Promise<void> },
  resident: Resident,
): ChatTransport {
  return {
    async send(text) {
      // The same limits as the HTTP API, so both ways behave alike.
      const parsed = simulatorMessageSchema.safeParse({
        from: resident.from,
        text,
        name: resident.name,
      });
      if (!parsed.success) {
        const { field, message } = firstProblem(parsed.error);
        throw new Error(`${field}: ${message}`);
      }
      const { replies } = await owner.pipeline.receive(simulatorInbound(parsed.data));
      return replies;
    },
    close: () => owner.close(),
  };
}

/**
 * Whether a Berdaya server answers `GET {baseUrl}/healthz` within `timeoutMs`. The terminal chat
 * then talks to it instead of opening the database the server holds.
 */
export async function serverAnswers(
  baseUrl: string,
  timeoutMs = 500,
  fetchImpl: typeof fetch = fetch,
): Promise<boolean> {
  try {
    const response = await fetchImpl(new URL("/healthz", baseUrl), {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return false;
    const body = (await response.json()) as { status?: unknown };
    return body?.status === "ok";
  } catch {
    return false;
  }
}
