/**
 * Runs tasks one after the other per key, in the order they were queued; different keys run
 * concurrently. Keeps no memory for keys with nothing queued.
 */
export class KeyedQueue<Key> {
  private readonly tails = new Map<Key, Promise<unknown>>();

  run<T>(key: Key, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => {});
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
