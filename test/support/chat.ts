import { commandName, type AnyCommand, type Invoker } from '../../src/chat/command.js';
import { replyToText, type Reply } from '../../src/chat/reply.js';
import type { Destination } from '../../src/core/destination.js';
import type { ChatRuntime } from '../../src/modes/chat-runtime.js';
import { consoleUsage } from '../../src/adapters/console/console.js';

/** Runs a line as a user in a channel and returns the reply and its text. */
export async function say(chat: ChatRuntime, text: string, opts: { user?: string; canManage?: boolean; dest?: Destination } = {}) {
  const invoker: Invoker = { platform: 'discord', userId: opts.user ?? 'U1', userName: opts.user ?? 'alice', canManage: opts.canManage ?? true };
  const destination = opts.dest ?? { platform: 'discord', workspaceId: 'G1', channelId: 'C1' };
  const reply: Reply = await chat.runText(text, { invoker, destination }, consoleUsage);
  return { reply, text: replyToText(reply), problem: reply.blocks.find((b) => b.kind === 'problem') };
}

export function byName(chat: ChatRuntime, name: string): AnyCommand {
  const def = chat.commands.find((c) => commandName(c) === name);
  if (!def) throw new Error(`no command ${name}`);
  return def;
}
