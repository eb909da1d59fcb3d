import type { OutboundMessage } from "../channels/contract.js";

/** The window the flood limit counts a resident's messages in. */
export const floodWindowMs = 10_000;

/** Told once when a resident's messages come faster than the bot answers them. */
export const slowDownNotice: OutboundMessage = {
  text: "Mohon maaf, pesan Anda masuk terlalu cepat sehingga tidak semuanya bisa kami jawab. Tunggu sekitar 10 detik, lalu kirim lagi jawaban Anda satu per satu.",
};

/** How the turn treats each of a resident's pending messages. */
export type Pace = "answer" | "too-fast" | "too-fast-first";

/**
 * A message comes too fast when the resident sent `limit` messages before it within the flood
 * window: the bot does not answer it (it stays stored) and says so once, at the first one of a
 * run of such messages. `earlier` are the arrival times of the resident's processed messages
 * (the last `limit + 1` suffice), `pending` those of the messages this turn processes, both in
 * arrival order, in milliseconds.
 */
export function paceOf(limit: number, earlier: number[], pending: number[]): Pace[] {
  const times = [...earlier, ...pending];
  const tooFast = (index: number) =>
    index >= limit && (times[index] ?? 0) - (times[index - limit] ?? 0) < floodWindowMs;
  return pending.map((_, k) => {
    const index = earlier.length + k;
    if (!tooFast(index)) return "answer";
    return tooFast(index - 1) ? "too-fast" : "too-fast-first";
  });
}
