import type { AnyWorkerDefinition } from '../src/queues/worker.js';
import pollWorker from './poll.worker.js';

/** Every queue processor, registered explicitly. A test checks each queue has exactly one. */
export const WORKERS: AnyWorkerDefinition[] = [pollWorker];
