import { createInterface } from 'node:readline';
import { commandName, type AnyCommand } from '../../chat/command.js';
import { replyToText, storyCardToText } from '../../chat/reply.js';
import type { Destination } from '../../core/destination.js';
import type { Alert } from '../../delivery/alert.js';
import type { AlertSender } from '../../delivery/sender.js';
import type { ChatRuntime } from '../../modes/chat-runtime.js';

/** The one channel of console mode. */
export const CONSOLE_DESTINATION: Destination = { platform: 'console', workspaceId: 'local', channelId: 'terminal' };

/** How usage lines read in the console: the same words as Slack's `/news`. */
export function consoleUsage(def: AnyCommand): string {
  return ['/news', ...def.path, def.usage].filter((p) => p !== '').join(' ');
}

/** Prints alerts as readable text on the given output (stdout in console mode). */
export function createConsoleSender(write: (text: string) => void): AlertSender {
  let counter = 0;
  const render = (alert: Alert, edited: boolean) =>
    `\n${edited ? '✎ update' : '🔔 alert'} [${alert.topics.map((t) => t.query).join(', ')}]\n${storyCardToText(alert.story)}\n`;
  return {
    platform: 'console',
    async send(_dest, alert) {
      write(render(alert, false));
      return { messageId: String(++counter) };
    },
    async edit(_dest, _id, alert) {
      write(render(alert, true));
    },
    async postReply(_dest, reply) {
      write(`\n${reply.mention !== undefined ? `@${reply.mention} ` : ''}${replyToText(reply)}\n`);
      return { messageId: String(++counter) };
    },
    async notice(_dest, text) {
      write(`\nℹ ${text}\n`);
    },
    async notifyUser(_workspace, _userId, text) {
      write(`\nℹ ${text}\n`);
    },
  };
}

/**
 * Console adapter: reads commands line by line from `input` (a terminal or a pipe), runs them as
 * the console's one channel with full rights, and prints the replies. A leading `/news` is
 * optional. Returns stop().
 */
export function startConsole(chat: ChatRuntime, io: { input: NodeJS.ReadableStream; write(text: string): void; interactive: boolean }): { stop(): void } {
  const rl = createInterface({ input: io.input, terminal: false });
  const who = { invoker: { platform: 'console' as const, userId: 'you', userName: 'you', canManage: true }, destination: CONSOLE_DESTINATION };
  const prompt = () => {
    if (io.interactive) io.write('news> ');
  };
  io.write(
    `Newshound console: type a query to search (tiktok OR bytedance), "subscribe <query>" to get alerts here, "help" for more.\n` +
      `Commands: ${chat.commands.map((c) => commandName(c)).join(', ')}\n`,
  );
  prompt();
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    const text = line.trim().replace(/^\/news\b\s*/i, '');
    if (text === '' && line.trim() === '') return prompt();
    // One command at a time, in order, even when lines arrive faster than replies.
    queue = queue.then(async () => {
      const reply = await chat.runText(text, who, consoleUsage);
      io.write(`${replyToText(reply)}\n`);
      prompt();
    });
  });
  return {
    stop() {
      rl.close();
    },
  };
}
