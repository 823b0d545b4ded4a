import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

describe('logger', () => {
  it('never writes tokens, secrets or passwords, wherever they sit in a log object', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    log.info(
      {
        token: 'tok-1',
        config: { DISCORD_TOKEN: 'tok-2', SLACK_BOT_TOKEN: 'tok-3', SLACK_SIGNING_SECRET: 'tok-4', REDIS_URL: 'redis://:pw@h', SUMMARY_LLM_API_KEY: 'tok-5' },
        request: { headers: { authorization: 'Bot tok-6' } },
        client: { password: 'tok-7', apiKey: 'tok-8' },
      },
      'something happened',
    );
    const out = lines.join('');
    expect(out).toContain('something happened');
    for (const secret of ['tok-1', 'tok-2', 'tok-3', 'tok-4', 'pw@h', 'tok-5', 'tok-6', 'tok-7', 'tok-8']) expect(out).not.toContain(secret);
  });
});
