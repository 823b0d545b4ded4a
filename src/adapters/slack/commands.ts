import type { AnyCommand } from '../../chat/command.js';

/** Slack gets one slash command; its first word picks the command (`/news subscribe tiktok`). */
export const SLACK_COMMAND = '/news';

/** How a command is typed on Slack, for help and error replies: `/news subscribe <query>[, <query> ...]`. */
export function slackUsage(def: AnyCommand): string {
  return [SLACK_COMMAND, ...def.path, def.usage].filter((p) => p !== '').join(' ');
}

/**
 * The short usage hint Slack shows while `/news` is typed, from the command definitions:
 * `<query> | subscribe <query>[, <query> ...] | ... | feeds list|add|remove | help`.
 */
export function slackUsageHint(commands: readonly AnyCommand[]): string {
  // In command order; two-word commands (`feeds add`) share one entry per first word.
  const entries: Array<{ text: string } | { group: string; words: string[] }> = [];
  for (const c of commands) {
    const [head, sub] = c.path;
    if (head === undefined) entries.push({ text: c.usage });
    else if (sub === undefined) entries.push({ text: [head, c.usage].filter((p) => p !== '').join(' ') });
    else {
      const group = entries.find((e) => 'group' in e && e.group === head);
      if (group && 'words' in group) group.words.push(sub);
      else entries.push({ group: head, words: [sub] });
    }
  }
  return entries.map((e) => ('text' in e ? e.text : `${e.group} ${e.words.join('|')}`)).join(' | ');
}

/**
 * The text after `/news` as the user typed it: Slack sends `&`, `<` and `>` as entities
 * (https://docs.slack.dev/messaging/formatting-message-text#escaping), and queries are plain text.
 */
export function slashCommandText(raw: string): string {
  return raw.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
