/**
 * Date strings as feeds really write them: RFC 822 and its variants, W3C-DTF / ISO 8601, asctime,
 * MSSQL style, and a few localized forms (Greek, Hungarian, Korean, German, French month names).
 * Anything that does not parse cleanly gives `undefined`: a date is never guessed.
 */

const MINUTE_MS = 60_000;
const MAX_INPUT_LENGTH = 80;

/** UTC offsets in minutes of the zone names feeds use. Ambiguous names (IST, CST in Asia) keep their US/EU meaning. */
const ZONE_OFFSETS_MIN: Readonly<Record<string, number>> = {
  z: 0, ut: 0, utc: 0, gmt: 0, wet: 0, 'etc/gmt': 0, 'etc/utc': 0,
  bst: 60, wat: 60, met: 60, cet: 60, mez: 60, west: 60,
  mest: 120, cest: 120, mesz: 120, eet: 120, sast: 120,
  eest: 180, msk: 180,
  ist: 330, hkt: 480, sgt: 480, awst: 480, jst: 540, kst: 540, acst: 570, aest: 600, aedt: 660,
  nzst: 720, nzdt: 780,
  at: -240, ast: -240, adt: -180, nst: -210, ndt: -150,
  et: -300, est: -300, edt: -240,
  ct: -360, cst: -360, cdt: -300,
  mt: -420, mst: -420, mdt: -360,
  pt: -480, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600,
};

const MONTH_NAMES: ReadonlyArray<readonly string[]> = [
  ['jan', 'january', 'januar', 'janv', 'janvier', 'ene', 'gen', 'ιαν', 'január'],
  ['feb', 'february', 'februar', 'févr', 'fevr', 'février', 'fev', 'φεβ', 'február'],
  ['mar', 'march', 'mär', 'märz', 'mrz', 'mars', 'μάώ', 'μαώ', 'μάρ', 'μαρ', 'március'],
  ['apr', 'april', 'avr', 'avril', 'abr', 'απρ', 'április'],
  ['may', 'mai', 'mag', 'μάι', 'μαϊ', 'μαι', 'május', 'máujus'],
  ['jun', 'june', 'juni', 'juin', 'giu', 'ιούν', 'ιον', 'ιουν', 'június'],
  ['jul', 'july', 'juli', 'juil', 'juillet', 'lug', 'ιούλ', 'ιολ', 'ιουλ', 'július'],
  ['aug', 'august', 'août', 'aout', 'ago', 'αύγ', 'αυγ', 'augusztus'],
  ['sep', 'sept', 'september', 'septembre', 'set', 'σεπ', 'szeptember'],
  ['oct', 'october', 'okt', 'oktober', 'octobre', 'out', 'ott', 'οκτ', 'október'],
  ['nov', 'november', 'novembre', 'νοέ', 'νοε', 'νοέμ'],
  ['dec', 'december', 'dez', 'dezember', 'déc', 'decembre', 'décembre', 'dic', 'δεκ'],
];

const MONTH_BY_NAME: ReadonlyMap<string, number> = new Map(
  MONTH_NAMES.flatMap((names, index) => names.map((name) => [name, index + 1] as const)),
);

const DAY_NAMES: ReadonlySet<string> = new Set([
  'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'mo', 'di', 'mi', 'do', 'fr', 'sa', 'so', 'montag', 'dienstag', 'mittwoch', 'donnerstag', 'freitag',
  'samstag', 'sonntag', 'lun', 'mar', 'mer', 'jeu', 'ven', 'sam', 'dim', 'seg', 'ter', 'qua', 'qui', 'sex', 'sáb',
  'sab', 'dom', 'mié', 'mie', 'jue', 'vie', 'gio',
  'κυρ', 'δευ', 'τρι', 'τετ', 'πεμ', 'παρ', 'σαβ',
]);

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  offsetMin: number;
}

/** Builds the instant, or `undefined` when a field is out of range (Feb 30, 25:00, minute 61 ...). */
function toIso(p: DateParts): string | undefined {
  if (p.year < 1 || p.year > 9999 || p.month < 1 || p.month > 12 || p.day < 1) return undefined;
  if (p.hour > 23 || p.minute > 59 || p.second > 60) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(p.year, p.month - 1, p.day);
  if (date.getUTCDate() !== p.day) return undefined;
  date.setUTCHours(p.hour, p.minute, Math.min(p.second, 59), 0);
  const ms = date.getTime() - p.offsetMin * MINUTE_MS;
  if (!Number.isFinite(ms)) return undefined;
  const shifted = new Date(ms);
  const year = shifted.getUTCFullYear();
  if (year < 1 || year > 9999) return undefined;
  return shifted.toISOString();
}

function twoDigitYear(yy: number): number {
  return yy < 70 ? 2000 + yy : 1900 + yy;
}

const NUMERIC_ZONE_RE = /^(?:(?:gmt|utc|ut)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?$/;
const ETC_GMT_RE = /^etc\/gmt([+-])(\d{1,2})$/;

/** Offset in minutes east of UTC, or `undefined` for an unknown or malformed zone. */
export function parseZone(raw: string): number | undefined {
  const zone = raw.trim().toLowerCase();
  if (zone === '') return 0;
  const named = ZONE_OFFSETS_MIN[zone];
  if (named !== undefined) return named;
  const numeric = NUMERIC_ZONE_RE.exec(zone);
  if (numeric) {
    const hours = Number(numeric[2]);
    const minutes = Number(numeric[3] ?? '0');
    if (hours > 14 || minutes > 59) return undefined;
    return (numeric[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  // POSIX-style names count the other way round: Etc/GMT+5 is five hours *behind* UTC.
  const etc = ETC_GMT_RE.exec(zone);
  if (etc) return (etc[1] === '-' ? 1 : -1) * Number(etc[2]) * 60;
  if (/^[a-ik-z]$/.test(zone)) {
    const code = zone.charCodeAt(0);
    if (zone === 'z') return 0;
    if (code <= 0x69) return (code - 0x60) * 60; // A-I: +1..+9
    if (code <= 0x6d) return (code - 0x61) * 60; // K-M: +10..+12
    return -(code - 0x6d) * 60; // N-Y: -1..-12
  }
  return undefined;
}

const TIME_PART = String.raw`(?:[Tt]|\s+)(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?`;
const ZONE_PART = String.raw`\s*([A-Za-z][A-Za-z/]*|(?:[A-Za-z]{2,3}\s*)?[+-]\d{1,2}(?::?\d{2})?)?`;
const ISO_FULL_RE = new RegExp(String.raw`^(\d{4})-?(0?\d{2})-?(\d{2})(?:${TIME_PART}${ZONE_PART})?$`);
const ISO_SHORT_YEAR_RE = /^(\d{2})(-?)(\d{2})\2(\d{2})$/;
const ISO_YEAR_MONTH_RE = /^(\d{4})(?:-(\d{2}))?$/;
const ISO_TRUNCATED_RE = /^-(\d{2})-?(\d{2})$/;
const ISO_ORDINAL_RE = /^(\d{4})-(\d{3})$/;

function parseIso(s: string): string | undefined {
  const full = ISO_FULL_RE.exec(s);
  if (full) {
    const offsetMin = parseZone(full[7] ?? '');
    if (offsetMin === undefined) return undefined;
    return toIso({
      year: Number(full[1]), month: Number(full[2]), day: Number(full[3]),
      hour: Number(full[4] ?? '0'), minute: Number(full[5] ?? '0'), second: Number(full[6] ?? '0'), offsetMin,
    });
  }
  const midnight = { hour: 0, minute: 0, second: 0, offsetMin: 0 };
  const short = ISO_SHORT_YEAR_RE.exec(s);
  if (short) {
    return toIso({ ...midnight, year: twoDigitYear(Number(short[1])), month: Number(short[3]), day: Number(short[4]) });
  }
  const yearMonth = ISO_YEAR_MONTH_RE.exec(s);
  if (yearMonth) return toIso({ ...midnight, year: Number(yearMonth[1]), month: Number(yearMonth[2] ?? '1'), day: 1 });
  const truncated = ISO_TRUNCATED_RE.exec(s);
  if (truncated) return toIso({ ...midnight, year: twoDigitYear(Number(truncated[1])), month: Number(truncated[2]), day: 1 });
  const ordinal = ISO_ORDINAL_RE.exec(s);
  if (ordinal) {
    const dayOfYear = Number(ordinal[2]);
    const year = Number(ordinal[1]);
    const iso = toIso({ ...midnight, year, month: 1, day: 1 });
    if (!iso || dayOfYear < 1 || dayOfYear > 366) return undefined;
    const date = new Date(Date.parse(iso) + (dayOfYear - 1) * 86_400_000);
    return date.getUTCFullYear() === year ? date.toISOString() : undefined;
  }
  return undefined;
}

const TIME_TOKEN_RE = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?$/;
const NUMERIC_DATE_RE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;

/**
 * RFC 822 and everything shaped like it: optional day name, day/month/year in RFC or US order,
 * time before or after the year (asctime, Unix `date`), optional AM/PM and zone. Every token must
 * be understood, so free text never turns into a date.
 */
function parseTokens(s: string): string | undefined {
  // A leading "Day," in any language; "Mar," is Tuesday in Spanish, not March.
  const dayName = /^(\p{L}+)\.?,\s*/u.exec(s);
  const rest = dayName && (DAY_NAMES.has((dayName[1] ?? '').toLowerCase()) || !MONTH_BY_NAME.has((dayName[1] ?? '').toLowerCase()))
    ? s.slice(dayName[0].length)
    : s;
  const tokens = rest.replace(/,/g, ' ').split(/\s+/).filter((t) => t !== '');
  let year: number | undefined;
  let month: number | undefined;
  let time: RegExpExecArray | undefined;
  let meridiem: 'am' | 'pm' | undefined;
  let offsetMin: number | undefined;
  const numbers: Array<{ value: number; digits: number; afterMonth: boolean }> = [];
  for (const [index, token] of tokens.entries()) {
    const lower = token.toLowerCase().replace(/\.$/, '');
    const timeMatch = TIME_TOKEN_RE.exec(token);
    const slash = NUMERIC_DATE_RE.exec(token);
    if (timeMatch && !time) time = timeMatch;
    else if (slash && month === undefined) {
      year = Number(slash[1]);
      month = Number(slash[2]);
      numbers.push({ value: Number(slash[3]), digits: slash[3]?.length ?? 0, afterMonth: true });
    } else if (/^\d{1,4}$/.test(token)) {
      numbers.push({ value: Number(token), digits: token.length, afterMonth: month !== undefined });
    } else if (MONTH_BY_NAME.has(lower) && month === undefined) {
      month = MONTH_BY_NAME.get(lower);
    } else if (index === 0 && DAY_NAMES.has(lower)) {
      continue;
    } else if ((lower === 'am' || lower === 'pm') && time && !meridiem) {
      meridiem = lower;
    } else if (offsetMin === undefined && time) {
      offsetMin = parseZone(token);
      if (offsetMin === undefined) return undefined;
    } else {
      return undefined;
    }
  }
  if (month === undefined || numbers.length < 1 || numbers.length > 2) return undefined;
  let day: number | undefined;
  if (year !== undefined) {
    if (numbers.length !== 1) return undefined;
    day = numbers[0]?.value;
  } else {
    if (numbers.length !== 2) return undefined;
    const [first, second] = numbers as [(typeof numbers)[number], (typeof numbers)[number]];
    const yearFirst = first.digits >= 3 && second.digits <= 2;
    const yearToken = yearFirst ? first : second;
    const dayToken = yearFirst ? second : first;
    if (dayToken.digits > 2) return undefined;
    day = dayToken.value;
    year = yearToken.digits <= 2 ? twoDigitYear(yearToken.value) : yearToken.value;
  }
  if (day === undefined) return undefined;
  let hour = time ? Number(time[1]) : 0;
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  return toIso({
    year, month, day, hour,
    minute: time ? Number(time[2]) : 0,
    second: time ? Number(time[3] ?? '0') : 0,
    offsetMin: offsetMin ?? 0,
  });
}

const KOREAN_DATE_RE = /(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일/;

/** Rewrites Korean date notation (년/월/일, 오전/오후) into the ISO shape, in Korean time. */
function fromKorean(s: string): string {
  if (!/[년월일오]/.test(s)) return s;
  const hasZone = /(?:[+-]\d{2}:?\d{2}|[A-Za-z])$/.test(s);
  const out = s
    .replace(KOREAN_DATE_RE, (_m, y: string, mo: string, d: string) => `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`)
    .replace(/(\S+)\s+오전\s+(\S+)/, '$1 $2 AM')
    .replace(/(\S+)\s+오후\s+(\S+)/, '$1 $2 PM');
  return hasZone ? out : `${out} KST`;
}

const HUNGARIAN_ISO_RE = /^(\d{4})-(\p{L}+)-(\d{1,2})(.*)$/u;

/**
 * Parses a feed date string and returns it as an ISO-8601 UTC string (`2004-01-01T19:48:21.000Z`),
 * or `undefined` when the string is not a date this parser understands. A missing zone means UTC.
 */
export function parseFeedDate(input: string | undefined): string | undefined {
  if (input === undefined) return undefined;
  let s = input.trim().replace(/\s*\([^()]*\)$/, '');
  if (s === '' || s.length > MAX_INPUT_LENGTH) return undefined;
  s = fromKorean(s);
  const hungarian = HUNGARIAN_ISO_RE.exec(s);
  if (hungarian) {
    const month = MONTH_BY_NAME.get((hungarian[2] ?? '').toLowerCase());
    if (month === undefined) return undefined;
    s = `${hungarian[1]}-${String(month).padStart(2, '0')}-${(hungarian[3] ?? '').padStart(2, '0')}${hungarian[4] ?? ''}`;
  }
  if (/^-?\d/.test(s)) {
    const iso = parseIso(s);
    if (iso !== undefined || !/\s/.test(s)) return iso;
  }
  return parseTokens(s);
}
