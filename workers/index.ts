import type { AnyWorkerDefinition } from '../src/queues/worker.js';
import deliverConsoleWorker from './deliver-console.worker.js';
import deliverDiscordWorker from './deliver-discord.worker.js';
import deliverSlackWorker from './deliver-slack.worker.js';
import digestWorker from './digest.worker.js';
import matchWorker from './match.worker.js';
import pollWorker from './poll.worker.js';

/** Every queue processor, registered explicitly. A test checks each queue has exactly one. */
export const WORKERS: AnyWorkerDefinition[] = [pollWorker, matchWorker, deliverDiscordWorker, deliverSlackWorker, deliverConsoleWorker, digestWorker];
