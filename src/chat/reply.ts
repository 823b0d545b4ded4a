/**
 * The neutral reply model: what a command answers, before any platform renders it (Discord
 * embeds and components, Slack Block Kit, console text). Text is plain; renderers escape it.
 */

/** One story as shown in search results, previews and alerts. */
export interface StoryCard {
  title: string;
  url?: string;
  source: string;
  /** ISO-8601. */
  publishedAt?: string;
  summary?: string;
  image?: string;
  /** Terms that made it match, for "why it matched". */
  matchedTerms?: string[];
  /** Other outlets that ran the same story. */
  alsoReportedBy?: string[];
}

export type ReplyBlock =
  | { kind: 'text'; text: string }
  | { kind: 'stories'; stories: StoryCard[] }
  | { kind: 'list'; items: string[] }
  /** A user-facing problem: what went wrong, a stable code, and the usage line when it helps. */
  | { kind: 'problem'; text: string; code: string; usage?: string; detail?: string };

/** A button under the reply. `id` names a registered action; `token` is its stored payload. */
export interface ReplyAction {
  id: 'post-to-channel';
  label: string;
  token: string;
}

export interface Reply {
  /** `private`: only the invoker sees it (Discord ephemeral, Slack ephemeral). */
  visibility: 'private' | 'channel';
  /** A role (Discord) or user group (Slack) to notify: set only for breaking-news follow-ups. */
  mention?: string;
  title?: string;
  blocks: ReplyBlock[];
  actions?: ReplyAction[];
  /**
   * A small bar chart of what the blocks say in words (`stats`). Platforms that show images
   * attach it (Discord); the others have the text of the blocks, which must say it all.
   */
  chart?: ReplyChart;
}

export interface ReplyChart {
  /** A short file name without extension (`alerts-7d`). */
  name: string;
  /** What it shows ("Alerts per day, last 7 days"). */
  caption: string;
  values: number[];
}

/** A private reply with one paragraph. */
export function textReply(text: string, title?: string): Reply {
  return { visibility: 'private', ...(title ? { title } : {}), blocks: [{ kind: 'text', text }] };
}

/** A private reply that explains a user error. */
export function problemReply(code: string, text: string, extra: { usage?: string; detail?: string } = {}): Reply {
  return {
    visibility: 'private',
    blocks: [{ kind: 'problem', code, text, ...(extra.detail ? { detail: extra.detail } : {}), ...(extra.usage ? { usage: extra.usage } : {}) }],
  };
}

/** The plain-text rendering of a reply: the console's output and every platform's fallback text. */
export function replyToText(reply: Reply): string {
  const lines: string[] = [];
  if (reply.title) lines.push(reply.title);
  for (const block of reply.blocks) {
    switch (block.kind) {
      case 'text':
        lines.push(block.text);
        break;
      case 'list':
        lines.push(...block.items.map((i) => `• ${i}`));
        break;
      case 'problem':
        lines.push(block.text);
        if (block.detail) lines.push(block.detail);
        if (block.usage) lines.push(`Usage: ${block.usage}`);
        break;
      case 'stories':
        for (const s of block.stories) lines.push(storyCardToText(s));
        break;
    }
  }
  return lines.join('\n');
}

/** One story card as plain text lines. */
export function storyCardToText(s: StoryCard): string {
  const meta = [s.source, s.publishedAt ? relativeAge(s.publishedAt) : undefined].filter(Boolean).join(' · ');
  const lines = [`▸ ${s.title}`, `  ${meta}`];
  if (s.summary) lines.push(`  ${s.summary}`);
  if (s.matchedTerms?.length) lines.push(`  matched: ${s.matchedTerms.join(', ')}`);
  if (s.alsoReportedBy?.length) lines.push(`  also reported by ${s.alsoReportedBy.join(', ')}`);
  if (s.url) lines.push(`  ${s.url}`);
  return lines.join('\n');
}

/** "5 min ago", "3 h ago", "2 d ago". */
export function relativeAge(iso: string, now: number = Date.now()): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  if (ms < 60_000) return 'just now';
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h ago`;
  return `${Math.floor(ms / 86_400_000)} d ago`;
}
