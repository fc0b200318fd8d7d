/**
 * A promise with its resolvers outside, so a test holds a state (a busy server, a running job) for exactly
 * as long as it needs, instead of guessing with timers. `Promise.withResolvers` arrives in Node 22; this
 * works on 20 as well.
 */
export interface Resolvers<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

export function promiseWithResolvers<T>(): Resolvers<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
