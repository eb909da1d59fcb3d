/**
 * Waits for all of them, then fails with the first failure: no turn may still be using the
 * transaction when it is rolled back.
 */
export async function settleAll(work: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
}
