import { DateTime, IANAZone } from 'luxon';

/** How a subscription's stories reach its channel. */
export type DeliveryMode = { kind: 'instant' } | { kind: 'hourly' } | { kind: 'daily'; at: string };

/** A daily window in a channel's time zone, e.g. 22:00-07:00 (may wrap past midnight). */
export interface QuietHours {
  start: string;
  end: string;
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** `HH:MM` → minutes after midnight, or undefined. */
export function parseTimeOfDay(text: string): number | undefined {
  const m = TIME.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** `08:00` with two digits, as stored and shown. */
export function formatTimeOfDay(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Whether `zone` is an IANA time zone luxon knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** `22:00-07:00` → quiet hours, or undefined when it is not two times. Equal ends are refused. */
export function parseQuietHours(text: string): QuietHours | undefined {
  const [a, b, ...rest] = text.trim().split(/\s*[-–]\s*/);
  if (rest.length > 0 || a === undefined || b === undefined) return undefined;
  const start = parseTimeOfDay(a);
  const end = parseTimeOfDay(b);
  if (start === undefined || end === undefined || start === end) return undefined;
  return { start: formatTimeOfDay(start), end: formatTimeOfDay(end) };
}

function minutesOfDay(at: DateTime): number {
  return at.hour * 60 + at.minute;
}

/**
 * If `now` is inside the quiet hours (in `zone`), the instant they end; else undefined. A window
 * that wraps midnight (22:00-07:00) covers both evening and early morning. DST is handled by
 * luxon: an end time that does not exist on a spring-forward day moves forward.
 */
export function quietUntil(now: number, quiet: QuietHours, zone: string): number | undefined {
  const local = DateTime.fromMillis(now, { zone });
  const start = parseTimeOfDay(quiet.start)!;
  const end = parseTimeOfDay(quiet.end)!;
  const m = minutesOfDay(local);
  const wraps = start > end;
  const inside = wraps ? m >= start || m < end : m >= start && m < end;
  if (!inside) return undefined;
  let endAt = local.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 });
  if (endAt.toMillis() <= now) endAt = endAt.plus({ days: 1 });
  return endAt.toMillis();
}

/** A BullMQ cron pattern (with the zone given separately) for a digest mode. */
export function digestPattern(mode: Exclude<DeliveryMode, { kind: 'instant' }>): string {
  if (mode.kind === 'hourly') return '0 * * * *';
  const at = parseTimeOfDay(mode.at)!;
  return `${at % 60} ${Math.floor(at / 60)} * * *`;
}

/** A stable short name for a digest mode, for keys and scheduler ids (`hourly`, `daily-0800`). */
export function digestKey(mode: Exclude<DeliveryMode, { kind: 'instant' }>): string {
  return mode.kind === 'hourly' ? 'hourly' : `daily-${mode.at.replace(':', '')}`;
}

/** Parses a stored or typed mode: `instant`, `hourly`, `daily 08:00`. */
export function parseDeliveryMode(text: string): DeliveryMode | undefined {
  const [kind, at, ...rest] = text.trim().toLowerCase().split(/\s+/);
  if (rest.length > 0) return undefined;
  if ((kind === 'instant' || kind === 'off') && at === undefined) return { kind: 'instant' };
  if (kind === 'hourly' && at === undefined) return { kind: 'hourly' };
  if (kind === 'daily') {
    const minutes = parseTimeOfDay(at ?? '08:00');
    return minutes === undefined ? undefined : { kind: 'daily', at: formatTimeOfDay(minutes) };
  }
  return undefined;
}

/** `instant`, `hourly`, `daily 08:00`. */
export function formatDeliveryMode(mode: DeliveryMode): string {
  return mode.kind === 'daily' ? `daily ${mode.at}` : mode.kind;
}

/** Eight-level bars for a small inline chart of counts (`▁▃█`). */
export function sparkline(values: readonly number[]): string {
  const bars = '▁▂▃▄▅▆▇█';
  const max = Math.max(...values, 0);
  return values.map((v) => (max === 0 ? bars[0] : bars[Math.min(7, Math.round((v / max) * 7))])).join('');
}
