import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { commandName } from '../../src/chat/command.js';

describe('command registry', () => {
  it('registers every commands/*.ts file, named after its command', async () => {
    const dir = join(import.meta.dirname, '../../commands');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    const defs = await Promise.all(files.map(async (f) => (await import(join(dir, f))).default as unknown));
    for (const def of defs) expect(COMMANDS).toContain(def);
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(COMMANDS.map((c) => (c.path.length ? c.path.join('-') : 'search')).sort());
  });

  it('has unique names and aliases', () => {
    const words = COMMANDS.flatMap((c) => [commandName(c), ...(c.aliases ?? []).map((a) => [...c.path.slice(0, -1), a].join(' '))]);
    expect(new Set(words).size).toBe(words.length);
  });

  it('lets everyone search and list, and only managers change subscriptions and feeds', () => {
    const access = Object.fromEntries(COMMANDS.map((c) => [commandName(c), c.access]));
    expect(access).toEqual({
      search: 'everyone',
      subscribe: 'manage',
      unsubscribe: 'manage',
      list: 'everyone',
      digest: 'manage',
      quiet: 'manage',
      breaking: 'manage',
      timezone: 'manage',
      stats: 'everyone',
      'feeds list': 'everyone',
      'feeds add': 'manage',
      'feeds remove': 'manage',
      help: 'everyone',
    });
  });
});
