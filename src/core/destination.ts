/** Chat platforms Newshound posts to. `console` is the terminal adapter for trying it out. */
export type Platform = 'discord' | 'slack' | 'console';

/** Where alerts go: one channel in one workspace (Discord guild, Slack team). Ids are opaque. */
export interface Destination {
  platform: Platform;
  workspaceId: string;
  channelId: string;
}

/** A stable string for a destination, used in keys and job ids. */
export function destinationKey(d: Destination): string {
  return `${d.platform}:${d.workspaceId}:${d.channelId}`;
}

/** The owner key of a workspace (feeds it added, caps it is held to). */
export function workspaceKey(d: Pick<Destination, 'platform' | 'workspaceId'>): string {
  return `${d.platform}:${d.workspaceId}`;
}

/** Parses a key made by {@link destinationKey}; ids may themselves contain `:`. */
export function parseDestinationKey(key: string): Destination {
  const first = key.indexOf(':');
  const second = key.indexOf(':', first + 1);
  const platform = key.slice(0, first);
  if (first < 0 || second < 0 || (platform !== 'discord' && platform !== 'slack' && platform !== 'console')) {
    throw new Error('not a destination key');
  }
  return { platform, workspaceId: key.slice(first + 1, second), channelId: key.slice(second + 1) };
}
