/**
 * Reads until `done` accepts the value or `timeoutMs` passes, and returns the last value read, for
 * state another process writes shortly after it answers (history and read model follow the
 * ledger by a batching delay). The caller's assertion on the result then fails with the real value.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
