import { escapeMarkdown } from 'discord.js';
import type { Reply, ReplyBlock, StoryCard } from '../../chat/reply.js';
import { clip } from '../../chat/cards.js';
import { barChartPng } from '../../core/chart-png.js';
import type { Alert } from '../../delivery/alert.js';
import { FEEDBACK_ACTIONS, FEEDBACK_LABELS, FEEDBACK_PREFIX } from '../../chat/feedback.js';

/**
 * Discord's message and embed limits. https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  embedTotal: 6000,
  customId: 100,
  buttonLabel: 80,
} as const;

/** Never ping anyone: feed text may contain `@everyone` or role mentions. */
export const NO_MENTIONS = { parse: [] as string[] };

const BRAND_COLOR = 0xe8a33d;

export interface EmbedJson {
  title?: string;
  url?: string;
  description?: string;
  color?: number;
  timestamp?: string;
  author?: { name: string };
  footer?: { text: string };
  thumbnail?: { url: string };
  image?: { url: string };
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
}

/** Escapes Discord markdown in feed text and neutralises mentions (a zero-width space after `@`). */
export function safeText(text: string): string {
  return escapeMarkdown(text.replace(/\s+/g, ' ').trim()).replace(/@(everyone|here)/gi, '@\u200b$1').replace(/<@/g, '<\u200b@');
}

/** Escaped text within `max` characters (clipped before escaping too, so huge feed text costs nothing). */
function safeClip(text: string, max: number): string {
  return clip(safeText(clip(text, max)), max);
}

function httpUrl(url: string | undefined): string | undefined {
  if (url === undefined || url.length > 2048) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function validTimestamp(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** Total characters Discord counts towards the 6000 limit of one message's embeds. */
export function embedLength(e: EmbedJson): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** The embed of one story (alerts and search results). Always within Discord's limits. */
export function storyEmbed(card: StoryCard, extra: { topics?: string[] } = {}): EmbedJson {
  const embed: EmbedJson = {
    title: safeClip(card.title, DISCORD_LIMITS.title),
    color: BRAND_COLOR,
    author: { name: safeClip(card.source, DISCORD_LIMITS.author) },
    footer: { text: 'Newshound' },
  };
  const url = httpUrl(card.url);
  if (url) embed.url = url;
  const parts: string[] = [];
  if (card.summary) parts.push(safeClip(card.summary, 1500));
  if (card.alsoReportedBy?.length) parts.push(`Also reported by ${safeClip(card.alsoReportedBy.join(', '), 500)}`);
  if (parts.length > 0) embed.description = parts.join('\n\n');
  const timestamp = validTimestamp(card.publishedAt);
  if (timestamp) embed.timestamp = timestamp;
  const image = httpUrl(card.image);
  if (image) embed.thumbnail = { url: image };
  const fields: NonNullable<EmbedJson['fields']> = [];
  if (card.matchedTerms?.length) fields.push({ name: 'Matched', value: safeClip(card.matchedTerms.join(', '), DISCORD_LIMITS.fieldValue), inline: true });
  if (extra.topics?.length) fields.push({ name: extra.topics.length > 1 ? 'Topics' : 'Topic', value: safeClip(extra.topics.join(', '), DISCORD_LIMITS.fieldValue), inline: true });
  if (fields.length > 0) embed.fields = fields;
  return embed;
}

/** `custom_id` prefix of the "exclude a word" modal: `nh:fbx:<cluster id>`. */
export const EXCLUDE_MODAL_PREFIX = 'nh:fbx:';

/** The row of feedback buttons under an alert (mute story, mute source, exclude a word). */
export function feedbackRow(clusterId: string) {
  return {
    type: 1,
    components: FEEDBACK_ACTIONS.map((action) => ({
      type: 2,
      style: 2,
      label: FEEDBACK_LABELS[action],
      custom_id: `${FEEDBACK_PREFIX}${action}:${clusterId}`.slice(0, DISCORD_LIMITS.customId),
    })),
  };
}

/** The message body of an alert (posts and edits): one embed, feedback buttons, no content, no pings. */
export function alertBody(alert: Alert) {
  return {
    embeds: [storyEmbed(alert.story, { topics: alert.topics.map((t) => t.query) })],
    components: alert.clusterId ? [feedbackRow(alert.clusterId)] : [],
    allowed_mentions: NO_MENTIONS,
  };
}

/** The message body that posts an alert, idempotent by nonce. */
export function alertMessage(alert: Alert, nonce?: string) {
  return { ...alertBody(alert), ...(nonce ? { nonce, enforce_nonce: true } : {}) };
}

function blockText(block: ReplyBlock): string | undefined {
  switch (block.kind) {
    case 'text':
      return safeText(block.text);
    case 'list':
      return block.items.map((i) => `• ${safeText(i)}`).join('\n');
    case 'problem': {
      const lines = [`⚠️ ${safeText(block.text)}`];
      if (block.detail) lines.push(`\`\`\`\n${block.detail.replace(/`/g, 'ˋ')}\n\`\`\``);
      if (block.usage) lines.push(`Usage: \`${block.usage.replace(/`/g, 'ˋ')}\``);
      return lines.join('\n');
    }
    case 'stories':
      return undefined;
  }
}

/** An interaction reply (content, embeds, buttons) for a neutral reply. Within Discord's limits. */
export function replyMessage(reply: Reply) {
  const lines: string[] = [];
  if (reply.title) lines.push(`**${safeText(reply.title)}**`);
  const embeds: EmbedJson[] = [];
  for (const block of reply.blocks) {
    if (block.kind === 'stories') {
      for (const card of block.stories) embeds.push(storyEmbed(card));
    } else {
      const text = blockText(block);
      if (text) lines.push(text);
    }
  }
  // Keep to 10 embeds and 6000 characters in total.
  const kept: EmbedJson[] = [];
  let total = 0;
  for (const e of embeds.slice(0, DISCORD_LIMITS.embeds)) {
    if (total + embedLength(e) > DISCORD_LIMITS.embedTotal) break;
    total += embedLength(e);
    kept.push(e);
  }
  const content = clip(lines.join('\n'), DISCORD_LIMITS.content);
  const components = (reply.actions ?? []).length
    ? [
        {
          type: 1,
          components: (reply.actions ?? []).slice(0, 5).map((a) => ({
            type: 2,
            style: 1,
            label: a.label.slice(0, DISCORD_LIMITS.buttonLabel),
            custom_id: `nh:${a.id}:${a.token}`.slice(0, DISCORD_LIMITS.customId),
          })),
        },
      ]
    : [];
  return { content, embeds: kept, components, allowed_mentions: NO_MENTIONS };
}

/**
 * An interaction reply for a neutral reply: {@link replyMessage}, plus its chart as an attached
 * PNG shown in an embed of its own when it has one.
 */
export function interactionReply(reply: Reply) {
  const message = replyMessage(reply);
  if (reply.chart === undefined || message.embeds.length >= DISCORD_LIMITS.embeds) return message;
  const file = `${reply.chart.name.replace(/[^a-z0-9-]/gi, '') || 'chart'}.png`;
  const embed: EmbedJson = { color: BRAND_COLOR, title: clip(safeText(reply.chart.caption), DISCORD_LIMITS.title), image: { url: `attachment://${file}` } };
  return { ...message, embeds: [...message.embeds, embed], files: [{ attachment: barChartPng(reply.chart.values), name: file }] };
}
