import { readFile, writeFile } from 'node:fs/promises';
import { cpus, platform } from 'node:os';

/**
 * Benchmark dispatcher: `npm run bench` runs every registered bench, `npm run bench -- match`
 * the named ones. Each bench module exports `run(): Promise<Record<string, unknown>>`; results
 * are merged into bench/results.json under the bench's name, with a timestamp and the machine.
 */

interface BenchModule {
  run(): Promise<Record<string, unknown>>;
}

/** Every bench, by name. */
const BENCHES: Readonly<Record<string, () => Promise<BenchModule>>> = {
  ingest: () => import('./ingest.js'),
  delivery: () => import('./delivery.js'),
  latency: () => import('./latency.js'),
  memory: () => import('./memory.js'),
  match: () => import('./match.js'),
  search: () => import('./search.js'),
  summaries: () => import('./summaries.js'),
};

const RESULTS_FILE = new URL('./results.json', import.meta.url);

async function readResults(): Promise<Record<string, unknown>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(RESULTS_FILE, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function main(names: string[]): Promise<number> {
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length > 0) {
    console.error(`unknown bench: ${unknown.join(', ')}; available: ${Object.keys(BENCHES).join(', ')}`);
    return 2;
  }
  const selected = names.length > 0 ? names : Object.keys(BENCHES);
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, platform: platform() };
  const results = await readResults();
  for (const name of selected) {
    const load = BENCHES[name];
    if (load === undefined) continue;
    console.log(`\n== ${name} ==`);
    const figures = await (await load()).run();
    results[name] = { timestamp: new Date().toISOString(), machine, results: figures };
    await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
