/**
 * Word lists the sentence splitter consults where a period is ambiguous. Data only.
 *
 * Two kinds of abbreviations: those that practically never end a sentence (`Dr.`, `z. B.`,
 * `Mrd.`), after which a period is never a break, and those that often do (`Inc.`, `usw.`,
 * `U.S.`, `p.m.`), after which a period is a break only when a typical sentence opener follows.
 * Entries are compared without the final period; case matters only where noted.
 */

/** Never sentence-final in news text: a period after these is not a break. */
const NON_FINAL_COMMON = [
  // Titles and ranks.
  'Dr', 'Prof', 'Hr', 'Hrn', 'Fr', 'Frl', 'Mr', 'Mrs', 'Ms', 'Mssrs', 'Messrs', 'Gov', 'Sen', 'Rep', 'Pres', 'Gen',
  'Lt', 'Col', 'Maj', 'Capt', 'Cpt', 'Sgt', 'Cmdr', 'Adm', 'Rev', 'Hon', 'Supt', 'Insp', 'Dipl', 'Ing', 'med',
  'jur', 'rer', 'nat', 'phil', 'habil', 'St', 'Ste', 'Mt', 'Ft',
  // References and units that always precede something.
  'No', 'Nos', 'Nr', 'Art', 'Abs', 'Ziff', 'Kap', 'Abschn', 'Bd', 'Vol', 'vol', 'pp', 'p', 'ch', 'fig', 'Fig', 'Abb',
  'Tab', 'Tel', 'Fax', 'Str', 'Pl', 'Ave', 'Blvd', 'approx', 'Approx', 'ca', 'Ca', 'vs', 'cf', 'vgl', 'Vgl', 'bzw',
  'ggf', 'Ggf', 'inkl', 'Inkl', 'exkl', 'zzgl', 'evtl', 'Evtl', 'gegr', 'geb', 'gest', 'verh', 'sog', 'Sog', 'rd',
  'insb', 'Insb', 'bspw', 'Bspw', 'allg', 'eigtl', 'urspr', 'zit', 'Hrsg', 'hrsg', 'Verf', 'Anm', 'Red', 'Jh',
  'Jhd', 'Jhdt', 'Mio', 'Mrd', 'Bio', 'Tsd', 'Std', 'Min', 'Sek', 'max', 'min', 'Max', 'Mind', 'mind', 'mtl',
  'jährl', 'tägl', 'wöchentl', 'Mo', 'Di', 'Mi', 'Do', 'Sa', 'Mon', 'Tue', 'Tues', 'Wed', 'Thu', 'Thur', 'Thurs',
  'Fri', 'Sat', 'Sun', 'Jan', 'Feb', 'Mär', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Okt', 'Oct', 'Nov',
  'Dez', 'Dec', 'dt', 'engl', 'franz', 'frz', 'ital', 'span', 'lat', 'griech', 'österr', 'schweiz', 'amerik',
  'ehem', 'Ehem', 'stv', 'Stv', 'stellv', 'Stellv', 'Vors', 'Gesch', 'Abt', 'Inh', 'Dt', 'betr', 'bzgl',
];

/** Often the last word of a sentence: a period after these breaks only before a sentence opener. */
const MAYBE_FINAL_COMMON = [
  'etc', 'usw', 'usf', 'Inc', 'Ltd', 'Corp', 'Co', 'Bros', 'Jr', 'Sr', 'Esq', 'Plc', 'plc', 'AG', 'eG', 'eV',
  'al', 'ff', 'Chr', 'Mass', 'Calif', 'Conn', 'Fla', 'Ill', 'Mich', 'Minn', 'Penn', 'Tenn', 'Tex', 'Va', 'Wash',
  'Wis', 'Ariz', 'Colo', 'Ga', 'Ky', 'La', 'Md', 'Nev', 'Okla', 'Ore',
];

/** Compared exactly; built once. */
export const NON_FINAL_ABBREVIATIONS: ReadonlySet<string> = new Set(NON_FINAL_COMMON);
export const MAYBE_FINAL_ABBREVIATIONS: ReadonlySet<string> = new Set(MAYBE_FINAL_COMMON);

/**
 * Dotted abbreviations that never end a sentence (`z.B.`, `e.g.`), compared in lower case with
 * the dots and spaces removed (`z. B.` → `zb`). Other dotted forms (`U.S.`, `a.m.`) may end one.
 */
export const NON_FINAL_DOTTED: ReadonlySet<string> = new Set([
  'zb', 'ua', 'uu', 'dh', 'va', 'od', 'oä', 'uä', 'zt', 'idr', 'iar', 'ia', 'iva', 'sd', 'zh', 'eg', 'ie',
  'nchr', 'vchr', 'aa', 'ao', 'iv', 'iw', 'ih',
]);

/**
 * What may follow `a.m.`/`p.m.` inside a sentence (`4:30 a.m. ET`, `11 p.m. Saturday`); any other
 * capitalized word after them starts a new sentence (`at 3 p.m. Lawmakers have`).
 */
export const AFTER_CLOCK_TIME: ReadonlySet<string> = new Set([
  'ET', 'EST', 'EDT', 'CT', 'CST', 'CDT', 'MT', 'MST', 'MDT', 'PT', 'PST', 'PDT', 'GMT', 'UTC', 'BST', 'CET', 'CEST',
  'MEZ', 'MESZ', 'AEST', 'AEDT', 'IST', 'JST', 'Eastern', 'Central', 'Mountain', 'Pacific', 'Monday', 'Tuesday',
  'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December', 'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug',
  'Sep', 'Sept', 'Oct', 'Nov', 'Dec', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun',
]);

/**
 * Words that typically open a sentence. After an ambiguous period (`usw.`, `U.S.`, a German
 * ordinal such as `15.`), a following capitalized word from this list means a new sentence; any
 * other capitalized word (German nouns, names) continues the sentence: `bis 15. September`,
 * `the U.S. Senate`, but `auf Platz 2. Die Grünen`, `in the U.S. It now goes`.
 */
export const SENTENCE_OPENERS: ReadonlySet<string> = new Set([
  // German
  'Der', 'Die', 'Das', 'Den', 'Dem', 'Des', 'Ein', 'Eine', 'Einen', 'Einem', 'Einer', 'Es', 'Er', 'Sie', 'Wir', 'Ich',
  'Ihr', 'Man', 'Dies', 'Diese', 'Dieser', 'Dieses', 'Damit', 'Dabei', 'Dafür', 'Dagegen', 'Danach', 'Davor', 'Dann',
  'Doch', 'Aber', 'Auch', 'Und', 'Oder', 'Zudem', 'Außerdem', 'Nach', 'Bei', 'In', 'Im', 'Am', 'An', 'Als', 'Wie',
  'Was', 'Wer', 'Wo', 'Warum', 'Wann', 'Denn', 'So', 'Da', 'Dass', 'Laut', 'Mit', 'Ob', 'Noch', 'Nun', 'Seit', 'Trotz',
  'Während', 'Für', 'Um', 'Zum', 'Zur', 'Vor', 'Auf', 'Aus', 'Von', 'Vom', 'Bis', 'Allerdings', 'Jedoch', 'Deshalb',
  'Daher', 'Somit', 'Insgesamt', 'Zuvor', 'Zuletzt', 'Später', 'Heute', 'Gestern', 'Bereits', 'Schon', 'Nur', 'Jetzt',
  'Hier', 'Dort', 'Kein', 'Keine', 'Alle', 'Viele', 'Unter', 'Über', 'Gegen', 'Ohne', 'Durch', 'Sein', 'Seine', 'Ihre',
  'Unser', 'Unsere', 'Wenn', 'Weil', 'Obwohl', 'Zwar', 'Immerhin', 'Inzwischen', 'Mittlerweile', 'Zunächst', 'Erst',
  'Ebenso', 'Ebenfalls', 'Trotzdem', 'Dennoch', 'Deswegen', 'Darüber', 'Hinzu', 'Zugleich', 'Gleichzeitig',
  // English
  'The', 'A', 'An', 'It', 'He', 'She', 'They', 'We', 'I', 'You', 'This', 'That', 'These', 'Those', 'There', 'Here',
  'His', 'Her', 'Its', 'Their', 'Our', 'But', 'And', 'Or', 'So', 'Yet', 'On', 'At', 'For', 'From', 'By', 'With', 'As',
  'After', 'Before', 'When', 'While', 'If', 'Although', 'Though', 'However', 'Meanwhile', 'Also', 'Still', 'Now',
  'Then', 'Today', 'Yesterday', 'Tomorrow', 'Earlier', 'Later', 'Last', 'Next', 'What', 'Who', 'Why', 'How', 'Where',
  'Some', 'Many', 'Most', 'All', 'No', 'None', 'Nor', 'Since', 'Because', 'Under', 'Over', 'According', 'Despite',
  'Instead', 'Indeed', 'Such', 'Both', 'Each', 'Every', 'Other', 'Another', 'One', 'Only',
]);
