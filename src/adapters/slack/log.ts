import { format } from 'node:util';
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../log.js';

const RANK: Record<LogLevel, number> = { [LogLevel.DEBUG]: 0, [LogLevel.INFO]: 1, [LogLevel.WARN]: 2, [LogLevel.ERROR]: 3 };

/**
 * Bolt's and WebClient's logs through our pino logger. Debug output is dropped whatever the
 * level: it can carry request bodies, and tokens must never reach the logs.
 */
export function slackLogger(log: Logger, name: string): SlackLogger {
  const child = log.child({ lib: name });
  let level = LogLevel.INFO;
  const at = (l: LogLevel, write: (msg: string) => void) => (...msg: unknown[]) => {
    if (RANK[l] >= RANK[level]) write(format(...msg));
  };
  return {
    debug: () => undefined,
    info: at(LogLevel.INFO, (m) => child.info(m)),
    warn: at(LogLevel.WARN, (m) => child.warn(m)),
    error: at(LogLevel.ERROR, (m) => child.error(m)),
    setLevel(l) {
      level = RANK[l] < RANK[LogLevel.INFO] ? LogLevel.INFO : l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
