import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Runtime } from '../../src/modes/runtime.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/fake-feeds.js';
import { testRuntime } from './runtime.js';

/**
 * Registers the hooks most pipeline tests share: one FakeFeeds server for the file, and a fresh
 * runtime (own Redis prefix, queues) for every test. Read both through the returned object.
 * Call it before the file's own hooks, so its `afterEach` runs after theirs.
 */
export function useFeedsAndRuntime(env: Record<string, string> = {}): { readonly fake: FakeFeeds; readonly runtime: Runtime } {
  const state: { fake?: FakeFeeds; runtime?: Runtime } = {};
  beforeAll(async () => {
    state.fake = await startFakeFeeds();
  });
  afterAll(async () => {
    await state.fake?.close();
  });
  beforeEach(async () => {
    state.runtime = await testRuntime(env);
  });
  afterEach(async () => {
    await state.runtime?.close();
  });
  return {
    get fake() {
      if (state.fake === undefined) throw new Error('FakeFeeds is not running outside the tests');
      return state.fake;
    },
    get runtime() {
      if (state.runtime === undefined) throw new Error('the runtime exists only inside a test');
      return state.runtime;
    },
  };
}
