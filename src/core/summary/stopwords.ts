/**
 * Function words that say nothing about what a story is about, in the normalized form the
 * summarizer compares (lower case, diacritics removed, `ß` → `ss`; see `normalizeText`). Both
 * lists apply to every text: a German article quoting English, or the reverse, is common.
 */

const GERMAN =
  'aber alle allem allen aller alles als also am an ander andere anderen anderer anderes auch auf aus bei beim ' +
  'bereits bis bisher bleibt bzw da dabei dadurch dafur dagegen daher damit danach dann dar daran darauf daraus ' +
  'darin darum das dass davon dazu dem den denen denn der deren des deshalb dessen die dies diese diesem diesen ' +
  'dieser dieses doch dort du durch ein eine einem einen einer eines einige einmal er es etwa etwas euch euer fur ' +
  'gab gibt gegen geht gewesen habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ' +
  'ihrer im immer in ins ist ja jede jedem jeden jeder jedes jedoch jetzt kam kann kein keine keinem keinen keiner ' +
  'konne konnen konnte man manche mehr mein meine mit muss mussen musste nach nachdem nicht nichts noch nun nur ob ' +
  'oder ohne schon sehr sei seien sein seine seinem seinen seiner seit selbst sich sie sind so solche soll sollen ' +
  'sollte sondern sowie uber um und uns unser unter viel viele vom von vor wahrend war waren warum was weil weiter ' +
  'weitere welche welchem welchen welcher wenn wer werde werden wie wieder will wir wird wirklich wo wollen wollte ' +
  'worden wurde wurden zu zum zur zwar zwischen sagte sagt laut heisst hiess demnach zufolge teilte mit mitgeteilt ' +
  'erklarte hiess rund etwa knapp uhr prozent montag dienstag mittwoch donnerstag freitag samstag sonntag';

const ENGLISH =
  'a about above after again against all also am an and any are as at be because been before being below between ' +
  'both but by can could did do does doing down during each few for from further had has have having he her here ' +
  'hers herself him himself his how i if in into is it its itself just me more most my no nor not now of off on ' +
  'once only or other our ours out over own same she should so some such than that the their theirs them then there ' +
  'these they this those through to too under until up very was we were what when where which while who whom why ' +
  'will with would you your yours said says say told according also new one two three year years last first since ' +
  'percent per cent monday tuesday wednesday thursday friday saturday sunday mr mrs ms dr may might must ' +
  'another many much still yet however including around about like would could';

/** Every stop word, normalized. */
export const STOPWORDS: ReadonlySet<string> = new Set(`${GERMAN} ${ENGLISH}`.split(' '));
