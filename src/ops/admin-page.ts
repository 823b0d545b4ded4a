import type { Feed } from '../core/feed.js';
import type { Subscription } from '../storage/subscription-store.js';

/** What the status page shows. */
export interface StatusData {
  feeds: Array<Feed & { owners: string[] }>;
  subscriptions: Subscription[];
  counters: Record<string, number>;
  generatedAt: number;
}

const esc = (s: string | number | undefined) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const when = (ms: number | undefined) => (ms === undefined ? '–' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

function feedState(f: Feed): { label: string; cls: string } {
  if (f.disabledAt !== undefined) return { label: `disabled: ${f.disabledReason ?? ''}`, cls: 'bad' };
  if (f.failures > 0) return { label: `failing ×${f.failures}: ${f.lastError ?? ''}`, cls: 'warn' };
  if (f.lastSuccessAt !== undefined) return { label: 'ok', cls: 'ok' };
  return { label: 'not polled yet', cls: '' };
}

/** The status page: feeds with their health, subscriptions per channel, delivery counters. Plain HTML, no script. */
export function renderStatusPage(data: StatusData): string {
  const feedRows = data.feeds
    .map((f) => {
      const state = feedState(f);
      return `<tr class="${state.cls}"><td>${esc(f.name)}</td><td><a href="${esc(f.url)}" rel="noreferrer">${esc(f.url)}</a></td><td>${esc(f.owners.join(', '))}</td><td>${esc(f.intervalSeconds)} s</td><td>${when(f.lastSuccessAt)}</td><td>${esc(f.failures)}</td><td data-state>${esc(state.label)}</td></tr>`;
    })
    .join('\n');
  const byChannel = new Map<string, Subscription[]>();
  for (const s of data.subscriptions) {
    const key = `${s.destination.platform} · ${s.destination.workspaceId} · ${s.destination.channelId}`;
    byChannel.set(key, [...(byChannel.get(key) ?? []), s]);
  }
  const channelSections = [...byChannel.entries()]
    .map(
      ([channel, subs]) =>
        `<h3>${esc(channel)}</h3><table><thead><tr><th>#</th><th>topic</th><th>added by</th><th>added</th><th>state</th></tr></thead><tbody>${subs
          .map(
            (s) =>
              `<tr class="${s.active ? 'ok' : 'bad'}"><td>${esc(s.number)}</td><td>${esc(s.query)}</td><td>${esc(s.addedByName ?? s.addedBy)}</td><td>${when(s.addedAt)}</td><td>${esc(s.active ? 'active' : `paused: ${s.inactiveReason ?? ''}`)}</td></tr>`,
          )
          .join('')}</tbody></table>`,
    )
    .join('\n');
  const counterRows = Object.entries(data.counters)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Newshound status</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
tr.ok td[data-state]{color:#1a7f37}tr.warn{background:#fff8e1}tr.bad{background:#fdecea}
nav a{margin-right:1rem}
</style></head>
<body>
<h1>Newshound</h1>
<nav><a href="/admin/queues/">Queues</a><a href="/metrics">Metrics</a><a href="/healthz">Health</a></nav>
<p>Generated ${when(data.generatedAt)} UTC.</p>
<h2 id="feeds">Feeds (${data.feeds.length})</h2>
<table><thead><tr><th>name</th><th>url</th><th>owners</th><th>interval</th><th>last success</th><th>failures</th><th>state</th></tr></thead>
<tbody>
${feedRows}
</tbody></table>
<h2 id="subscriptions">Subscriptions (${data.subscriptions.length}) in ${byChannel.size} channels</h2>
${channelSections || '<p>No subscriptions yet.</p>'}
<h2 id="counters">Delivery counters</h2>
<table><tbody>${counterRows || '<tr><td>none yet</td></tr>'}</tbody></table>
</body></html>
`;
}
