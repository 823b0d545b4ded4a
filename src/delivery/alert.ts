import { storyCard } from '../chat/cards.js';
import type { StoryCard } from '../chat/reply.js';
import type { Story } from '../core/story.js';

/** One alert as every platform renders it. */
export interface Alert {
  story: StoryCard;
  /** The channel's topics that matched, each with the terms that made it match. */
  topics: Array<{ topicId?: string; query: string; terms: string[] }>;
  /** Stable id of the story, for message metadata and reconciliation. */
  storyId: string;
  /** The story's cluster: what the alert's feedback buttons act on. Absent: no buttons. */
  clusterId?: string;
}

/** Builds the alert for a story and the topics that matched it in one channel. */
export function buildAlert(story: Story, topics: Alert['topics'], alsoReportedBy: string[] = [], clusterId?: string): Alert {
  const terms = [...new Set(topics.flatMap((t) => t.terms))];
  return { story: storyCard(story, { terms, alsoReportedBy }), topics, storyId: story.id, ...(clusterId ? { clusterId } : {}) };
}
