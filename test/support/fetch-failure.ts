import { FetchError } from '../../src/feeds/fetch.js';

/** The FetchError a fetch fails with; anything else (success included) fails the test. */
export async function failure(promise: Promise<unknown>): Promise<FetchError> {
  const outcome = await promise.then(
    () => new Error('expected the fetch to fail'),
    (err: unknown) => err,
  );
  if (!(outcome instanceof FetchError)) throw outcome;
  return outcome;
}
