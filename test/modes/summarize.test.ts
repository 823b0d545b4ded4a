import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/core/summary/language.js';

const root = join(import.meta.dirname, '../..');
const main = join(root, 'dist/src/main.js');
const PAGE = readFileSync(new URL('../fixtures/summaries/article-page-en.html', import.meta.url), 'utf8');

/** Not part of the evaluation corpus: a held-out article, as a reader would paste it. */
const GERMAN_ARTICLE = `Von Sabine Kraft
Foto: Stadt Elmsdorf
Die Gemeinde Elmsdorf bekommt nach fast zwei Jahren Stillstand wieder eine Hausarztpraxis. Die Ärztin Dr. Leonie Fuchs eröffnet am 2. Juni im ehemaligen Sparkassengebäude am Marktplatz, wie Bürgermeister Uwe Brandl am Dienstag mitteilte.
Die Gemeinde hat das Gebäude für rund 400.000 Euro umgebaut und vermietet die Räume in den ersten fünf Jahren zu einem reduzierten Preis. Zusätzlich zahlt der Landkreis einen Zuschuss von 60.000 Euro aus einem Förderprogramm für ländliche Regionen.
Mehr zum Thema
Ärztemangel auf dem Land: Was Gemeinden tun können
„Wir haben lange gesucht und sind sehr froh“, sagte Brandl. Seit dem Ruhestand des letzten Hausarztes im Sommer 2023 mussten die rund 5.000 Einwohner für jeden Arztbesuch in die 20 Kilometer entfernte Kreisstadt fahren.
Fuchs war zuletzt in einer Praxis in Regensburg angestellt. Sie will zunächst mit zwei medizinischen Fachangestellten beginnen und ab Herbst eine zweite Ärztin einstellen. Termine können ab Mitte Mai telefonisch vereinbart werden.
Anzeige
Newsletter abonnieren: Die wichtigsten Nachrichten aus dem Landkreis jeden Morgen kostenlos in Ihr Postfach.`;

function cli(args: string[], input: string) {
  const res = spawnSync(process.execPath, [main, ...args], { input, env: { PATH: process.env.PATH }, timeout: 20_000 });
  return { code: res.status, stdout: res.stdout.toString('utf8'), stderr: res.stderr.toString('utf8') };
}

// `npm test` builds before running vitest; running this file alone needs `npm run build` first.
describe.runIf(existsSync(main))('newshound summarize', () => {
  it('summarizes German article text in German: who, what, when, within 400 characters, one line', () => {
    const res = cli(['summarize'], GERMAN_ARTICLE);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const summary = res.stdout.trimEnd();
    expect(summary.split('\n')).toHaveLength(1);
    expect(summary.length).toBeLessThanOrEqual(400);
    expect(detectLanguage(summary).language).toBe('de');
    expect(summary).toMatch(/Elmsdorf/);
    expect(summary).toMatch(/Dr\. Leonie Fuchs/);
    expect(summary).toMatch(/2\. Juni/);
    expect(summary).not.toMatch(/Foto|Mehr zum Thema|Anzeige|Newsletter/);
  });

  it('reduces a whole HTML page to its article first, with --lang en', () => {
    const res = cli(['summarize', '--lang', 'en'], PAGE);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Councillors in Port Aldwin have approved a 40-megawatt floating solar farm/);
    expect(res.stdout.trimEnd().length).toBeLessThanOrEqual(400);
  });

  it('exits 2 for an unknown --lang and 1 for input without text', () => {
    const bad = cli(['summarize', '--lang', 'fr'], 'Bonjour.');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--lang must be one of de, en, auto/);
    const empty = cli(['summarize'], '  \n');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/nothing to summarize/);
  });

  it('loads no queue, Redis, HTTP or chat library', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nh-trace-')), 'summarize.txt');
    spawnSync(process.execPath, ['--import', join(root, 'test/support/trace-imports.mjs'), main, 'summarize'], {
      input: GERMAN_ARTICLE,
      env: { PATH: process.env.PATH, TRACE_IMPORTS_FILE: file },
    });
    const loaded = readFileSync(file, 'utf8');
    expect(loaded).toMatch(/node_modules\/eld\//);
    expect(loaded).not.toMatch(/node_modules\/(bullmq|ioredis|undici|discord\.js|@slack|pino)\//);
  });
});
