import type { Api } from "grammy";

/** The AbortSignal type grammY's Node build declares: the `abort-controller` polyfill's. */
export type GrammySignal = NonNullable<Parameters<Api["getMe"]>[0]>;

/**
 * Node's own AbortSignal, typed for grammY. At run time grammY only calls
 * `addEventListener("abort")` on it (`validateSignal` checks just that), which Node's signal
 * has; the types differ only in the polyfill's event typings.
 */
export function grammySignal(signal: AbortSignal): GrammySignal {
  return signal as unknown as GrammySignal;
}

/** Aborts after `ms`, or with `parent`. */
export function timeoutSignal(ms: number, parent?: AbortSignal): GrammySignal {
  const timeout = AbortSignal.timeout(ms);
  return grammySignal(parent ? AbortSignal.any([parent, timeout]) : timeout);
}
