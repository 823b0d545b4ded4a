/**
 * Query parameters that only track where a click came from. They change between polls
 * (campaign churn) without changing the story, so they are removed from story identity.
 */
const TRACKING_PARAM_PATTERNS: RegExp[] = [
  /^utm_/i,
  /^(fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid|igshid|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi)$/i,
  /^(xtor|at_medium|at_campaign|at_custom\d*|at_format|at_link|at_ptr|at_bbc_team)$/i,
  /^(ns_mchannel|ns_campaign|ns_source|ns_linkname|ns_fee)$/i,
  /^(cmpid|cmp|ito|ocid|smid|smtyp|wt_mc|wt\.mc_id|wt_zmc|icid|ncid|sr_share|share|feature|rss|rssfeed|from_rss|source=rss|mkt_tok|oly_enc_id|oly_anon_id|vero_id|rb_clickid|s_cid|__twitter_impression)$/i,
];

function isTrackingParam(name: string): boolean {
  return TRACKING_PARAM_PATTERNS.some((re) => re.test(name));
}

/**
 * The canonical form of an article URL: scheme and host lower-cased, default port, fragment and
 * tracking parameters removed, remaining parameters sorted. Returns undefined for anything that
 * is not an absolute http(s) URL.
 */
export function canonicalUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (trimmed === '') return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  url.username = '';
  url.password = '';
  const kept = [...url.searchParams.entries()].filter(([name]) => !isTrackingParam(name));
  kept.sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a < b ? -1 : 1));
  url.search = '';
  for (const [name, value] of kept) url.searchParams.append(name, value);
  // URL already lower-cases scheme and host and drops default ports.
  return url.toString();
}

/**
 * The part of a canonical URL that identifies a story: no scheme (http→https moves are the same
 * story), no leading `www.`, no trailing slash on the path.
 */
export function urlIdentity(canonical: string): string {
  const url = new URL(canonical);
  const host = url.host.replace(/^www\./, '');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : '';
  return `${host}${path}${url.search}`;
}
