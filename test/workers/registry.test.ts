import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '../../src/queues/names.js';
import { WORKERS } from '../../workers/index.js';

describe('worker registry', () => {
  it('has exactly one worker per queue', () => {
    const queues = WORKERS.map((w) => w.queue).sort();
    expect(queues).toEqual([...new Set(queues)]);
    expect(queues).toEqual(Object.values(QUEUE_NAMES).sort());
  });

  it('registers every workers/*.worker.ts file', async () => {
    const dir = join(import.meta.dirname, '../../workers');
    const files = readdirSync(dir).filter((f) => f.endsWith('.worker.ts'));
    const defs = await Promise.all(files.map(async (f) => (await import(join(dir, f))).default as unknown));
    for (const def of defs) expect(WORKERS).toContain(def);
    expect(files.map((f) => f.replace('.worker.ts', '')).sort()).toEqual(WORKERS.map((w) => w.queue).sort());
  });
});
