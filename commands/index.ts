import type { AnyCommand } from '../src/chat/command.js';
import breaking from './breaking.js';
import digest from './digest.js';
import feedsAdd from './feeds-add.js';
import feedsList from './feeds-list.js';
import feedsRemove from './feeds-remove.js';
import help from './help.js';
import list from './list.js';
import quiet from './quiet.js';
import search from './search.js';
import stats from './stats.js';
import subscribe from './subscribe.js';
import timezone from './timezone.js';
import unsubscribe from './unsubscribe.js';

/** Every chat command, registered explicitly, in the order help lists them. A test checks each file is here. */
export const COMMANDS: readonly AnyCommand[] = [
  search,
  subscribe,
  unsubscribe,
  list,
  digest,
  quiet,
  breaking,
  timezone,
  stats,
  feedsList,
  feedsAdd,
  feedsRemove,
  help,
] as readonly AnyCommand[];
