/** The shape of a REST route; shared by `routes.ts` and `interaction-routes.ts`. */
import type { DiscordState, Reply } from './state.js';

/** What a handler gets: path parameters, parsed body, query and the fake's state. */
export interface RouteContext {
  params: Record<string, string>;
  json: unknown;
  query: Record<string, string>;
  state: DiscordState;
  gatewayUrl: string;
}

/** One REST route. */
export interface RouteDef {
  method: string;
  /** Segments; `:name` captures one segment. */
  pattern: readonly string[];
  /** Whether `Authorization: Bot <token>` is required (and the global limit applies). */
  auth: boolean;
  /** The rate-limit major parameter. */
  major: (p: Record<string, string>) => string;
  /** Uses the per-channel message-create bucket instead of the default one. */
  channelBucket?: boolean;
  handle: (ctx: RouteContext) => Reply;
}

/** Builds a {@link RouteDef} from a path like `/channels/:channel/messages`. */
export function route(method: string, path: string, auth: boolean, major: RouteDef['major'], handle: RouteDef['handle'], channelBucket = false): RouteDef {
  return { method, pattern: path.split('/').filter(Boolean), auth, major, handle, channelBucket };
}

