import { clip } from '../../chat/cards.js';
import { replyToText, type Reply, type ReplyBlock, type StoryCard } from '../../chat/reply.js';
import type { Alert } from '../../delivery/alert.js';
import { FEEDBACK_ACTIONS, FEEDBACK_LABELS, FEEDBACK_PREFIX } from '../../chat/feedback.js';

/**
 * Block Kit limits. https://docs.slack.dev/reference/block-kit/blocks (50 blocks; section text
 * 3000), https://docs.slack.dev/reference/block-kit/block-elements/button-element (label 75,
 * value 2000). Slack refuses a message whose blocks hold much more than 12,000 characters in all
 * with `msg_blocks_too_long` (undocumented for most block types; measured near 13,200:
 * https://github.com/slackapi/bolt-js/issues/2509), so we keep under 12,000.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  totalBlockText: 12_000,
  buttonLabel: 75,
  buttonValue: 2000,
  /** `text` may hold 40,000; a notification fallback needs far less. */
  fallbackText: 3000,
} as const;

/** Message metadata type of alerts: lets a retry find an alert that was posted but never confirmed. */
export const ALERT_EVENT_TYPE = 'newshound_alert';
/** `action_id` prefix of Newshound's buttons (`nh:post-to-channel`). */
export const ACTION_PREFIX = 'nh:';

/** A mrkdwn text object (https://docs.slack.dev/reference/block-kit/composition-objects/text-object). */
export type TextObject = { type: 'mrkdwn'; text: string };
/** The Block Kit blocks Newshound builds: sections, context lines and one row of buttons. */
export type SlackBlock =
  | { type: 'section'; text: TextObject }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'actions'; elements: Array<{ type: 'button'; action_id: string; text: { type: 'plain_text'; text: string }; value: string }> };

/** Control characters (except tab and newline) and lone surrogates: never valid text. */
// eslint-disable-next-line no-control-regex
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes the three characters Slack treats as markup, so feed text can never form a mention
 * (`<!channel>`, `<!here>`, `<@U…>`), a link or a date token.
 * https://docs.slack.dev/messaging/formatting-message-text#escaping
 */
export function escapeSlack(text: string): string {
  return text.replace(INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escaped text of at most `max` characters, cut at a word boundary before escaping so an entity
 * (`&amp;`) is never split. Whitespace collapses to single spaces.
 */
export function slackText(text: string, max: number): string {
  let budget = max;
  for (;;) {
    const out = escapeSlack(clip(text, budget));
    if (out.length <= max) return out;
    budget = Math.min(budget - 1, Math.floor((budget * max) / out.length));
    if (budget < 1) return '…';
  }
}

/** Like {@link slackText} but keeps line breaks (lists, usage lines). */
function slackLines(text: string, max: number): string {
  const lines = text.split('\n').map((l) => slackText(l, max));
  let out = '';
  for (const line of lines) {
    const next = out === '' ? line : `${out}\n${line}`;
    if (next.length > max) return out === '' ? slackText(line, max) : out;
    out = next;
  }
  return out;
}

/** An http(s) URL safe inside `<url|text>`; undefined for anything else. */
function linkUrl(url: string | undefined): string | undefined {
  if (url === undefined || url.length > 2048) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    // `|` ends the URL part of a link and `>` ends the link: percent-encode them; `&` is escaped.
    return u.href.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C').replace(/&/g, '&amp;');
  } catch {
    return undefined;
  }
}

/** `2025-08-02 18:05 UTC` (plain text: no `<!date>` token, which some clients show raw). */
function when(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const section = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): SlackBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/** The linked, bold title of a story. */
function titleLine(card: StoryCard, max: number): string {
  const url = linkUrl(card.url);
  const title = slackText(card.title, Math.max(1, max - (url?.length ?? 0) - 6)) || 'Untitled';
  return url ? `*<${url}|${title}>*` : `*${title}*`;
}

/**
 * The blocks of one story: linked title and summary, then source, time, matched terms and other
 * outlets. No image: Slack fetches block images itself and refuses the whole message
 * (`invalid_blocks`) when a feed's image URL is broken.
 */
export function storyBlocks(card: StoryCard, extra: { topics?: string[] } = {}): SlackBlock[] {
  const head = titleLine(card, 600);
  const summary = card.summary ? slackText(card.summary, 1500) : '';
  const blocks: SlackBlock[] = [section(summary ? `${head}\n${summary}` : head)];
  const time = when(card.publishedAt);
  const source = slackText(card.source, 200) || 'Unknown source';
  blocks.push(context(time ? `${source} · ${time}` : source));
  const why: string[] = [];
  if (card.matchedTerms?.length) why.push(`Matched: ${slackText(card.matchedTerms.join(', '), 500)}`);
  if (extra.topics?.length) why.push(`${extra.topics.length > 1 ? 'Topics' : 'Topic'}: ${slackText(extra.topics.join(', '), 500)}`);
  if (why.length > 0) blocks.push(context(why.join(' · ')));
  if (card.alsoReportedBy?.length) blocks.push(context(`Also reported by ${slackText(card.alsoReportedBy.join(', '), 500)}`));
  return blocks;
}

/** Characters of block text Slack counts against its total (every `text` string). */
export function blockTextLength(blocks: readonly SlackBlock[]): number {
  let n = 0;
  for (const b of blocks) {
    if (b.type === 'section') n += b.text.text.length;
    else if (b.type === 'context') n += b.elements.reduce((sum, e) => sum + e.text.length, 0);
    else n += b.elements.reduce((sum, e) => sum + e.text.text.length, 0);
  }
  return n;
}

/** The notification text of an alert (shown where blocks are not: notifications, screen readers). */
function alertFallback(alert: Alert): string {
  return slackText(`${alert.story.title || 'Untitled'} (${alert.story.source})`, SLACK_LIMITS.fallbackText);
}

/** The feedback buttons under an alert (mute story, mute source, exclude a word). */
function feedbackBlock(clusterId: string): SlackBlock {
  return {
    type: 'actions',
    elements: FEEDBACK_ACTIONS.map((action) => ({
      type: 'button' as const,
      action_id: `${FEEDBACK_PREFIX}${action}`,
      text: { type: 'plain_text' as const, text: FEEDBACK_LABELS[action] },
      value: clusterId,
    })),
  };
}

/** The blocks and fallback text of an alert (posts and edits). Always within Slack's limits. */
export function alertContent(alert: Alert): { text: string; blocks: SlackBlock[] } {
  const blocks = storyBlocks(alert.story, { topics: alert.topics.map((t) => t.query) });
  if (alert.clusterId) blocks.push(feedbackBlock(alert.clusterId));
  return { text: alertFallback(alert), blocks };
}

/**
 * The `chat.postMessage` arguments of an alert: blocks, fallback text, no link previews (a
 * story's own card is the preview), and metadata that names the story and the idempotency key
 * so a retry can find an alert whose post was never confirmed.
 * https://docs.slack.dev/messaging/message-metadata
 */
export function alertMessage(alert: Alert, idempotencyKey: string) {
  return {
    ...alertContent(alert),
    unfurl_links: false,
    unfurl_media: false,
    metadata: { event_type: ALERT_EVENT_TYPE, event_payload: { story_id: alert.storyId, idempotency_key: idempotencyKey } },
  };
}

/** Collects blocks within the count and text budgets; what does not fit is left out. */
class BlockBudget {
  readonly blocks: SlackBlock[] = [];
  private text = 0;
  constructor(private readonly reserveBlocks: number, private readonly reserveText: number) {}

  /** Adds all of `group` or none of it. */
  add(group: SlackBlock[]): boolean {
    const len = blockTextLength(group);
    if (this.blocks.length + group.length > SLACK_LIMITS.blocks - this.reserveBlocks) return false;
    if (this.text + len > SLACK_LIMITS.totalBlockText - this.reserveText) return false;
    this.blocks.push(...group);
    this.text += len;
    return true;
  }
}

function replyBlockGroups(block: ReplyBlock): SlackBlock[][] {
  switch (block.kind) {
    case 'text': {
      const text = slackLines(block.text, SLACK_LIMITS.sectionText);
      return text === '' ? [] : [[section(text)]];
    }
    case 'list': {
      // One section per chunk of whole items.
      const groups: SlackBlock[][] = [];
      let chunk = '';
      for (const item of block.items) {
        const line = `• ${slackLines(item, 1000)}`;
        if (chunk !== '' && chunk.length + 1 + line.length > SLACK_LIMITS.sectionText) {
          groups.push([section(chunk)]);
          chunk = '';
        }
        chunk = chunk === '' ? line : `${chunk}\n${line}`;
      }
      if (chunk !== '') groups.push([section(chunk)]);
      return groups;
    }
    case 'problem': {
      const lines = [`:warning: ${slackLines(block.text, 1500)}`];
      // Spacing matters here (a caret under the problem), so no whitespace collapsing.
      if (block.detail) lines.push(`\`\`\`${escapeSlack(block.detail.slice(0, 600).replace(/`/g, 'ˋ'))}\`\`\``);
      if (block.usage) lines.push(`Usage: \`${slackText(block.usage.replace(/`/g, 'ˋ'), 300)}\``);
      return [[section(lines.join('\n'))]];
    }
    case 'stories':
      return block.stories.map((s) => storyBlocks(s));
  }
}

/**
 * A neutral reply as Slack message content for `respond()`: Block Kit plus a plain-text fallback,
 * buttons for its actions. Within Slack's limits: stories that do not fit are left out.
 */
export function replyContent(reply: Reply): { text: string; blocks: SlackBlock[] } {
  const actions = (reply.actions ?? []).slice(0, 5).map((a) => ({
    type: 'button' as const,
    action_id: `${ACTION_PREFIX}${a.id}`,
    text: { type: 'plain_text' as const, text: clip(a.label, SLACK_LIMITS.buttonLabel) },
    value: a.token.slice(0, SLACK_LIMITS.buttonValue),
  }));
  const actionText = actions.reduce((n, a) => n + a.text.text.length, 0);
  const budget = new BlockBudget(actions.length > 0 ? 2 : 1, actionText + 100);
  if (reply.title) budget.add([section(`*${slackText(reply.title, 500)}*`)]);
  let left = 0;
  for (const block of reply.blocks) {
    for (const group of replyBlockGroups(block)) if (!budget.add(group)) left++;
  }
  if (left > 0) budget.add([context(`${left} more not shown.`)]);
  const blocks = [...budget.blocks];
  if (actions.length > 0) blocks.push({ type: 'actions', elements: actions });
  return { text: slackLines(replyToText(reply), SLACK_LIMITS.fallbackText) || 'Newshound', blocks };
}
