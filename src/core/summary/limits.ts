/** Alerts show at most this much summary (DESIGN.md: 2-3 sentences, ≤ 400 characters). */
export const SUMMARY_MAX_CHARS = 400;
/** At most this many sentences are chosen. */
export const SUMMARY_MAX_SENTENCES = 3;
