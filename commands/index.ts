import type { AnyCommand } from '../src/chat/command.js';
import feedsAdd from './feeds-add.js';
import feedsList from './feeds-list.js';
import feedsRemove from './feeds-remove.js';
import help from './help.js';
import list from './list.js';
import search from './search.js';
import subscribe from './subscribe.js';
import unsubscribe from './unsubscribe.js';

/** Every chat command, registered explicitly, in the order help lists them. A test checks each file is here. */
export const COMMANDS: readonly AnyCommand[] = [search, subscribe, unsubscribe, list, feedsList, feedsAdd, feedsRemove, help] as readonly AnyCommand[];
