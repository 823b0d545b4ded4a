/**
 * Recognizes the parts of a news page that are not the story: links to other articles, image
 * credits, newsletter and subscription prompts, advertising labels, copyright lines, share and
 * follow prompts, cookie notices, bylines and time stamps. Such a line or sentence is never
 * chosen for a summary. German and English wording; patterns are anchored where a loose match
 * would hit real sentences ("the newsletter reported ..." stays a sentence).
 */

/**
 * Lines or sentences that begin like this are navigation, promotion or credits. Entries ending
 * in `$` must be the whole line; the others must be followed by a separator (so `Shares rose`
 * and `Related charges were filed` stay sentences).
 */
const LEADING_RE = new RegExp(
  '^(?:' +
    [
      // English
      'read (?:more|next|also)', 'also read', 'more on this(?: story)?', 'more (?:from|stories)', 'see also',
      'related(?: articles?| stories| coverage| content| topics)?:?$', 'related:', 'recommended(?: for you)?:?$',
      'most (?:read|popular|viewed|shared):?$', 'top stories:?$', 'trending(?: now)?:?$', 'advertisement:?$',
      'sponsored(?: content)?:?$', 'promoted:?$', 'listen to (?:this|the) (?:article|story)', 'share(?: this(?: article| story| page)?)?:?$',
      'share (?:this|on|via)', 'follow us', 'click here', 'sign up', 'subscribe', 'get our', "don't miss", 'watch:',
      'video:', 'photos?:', 'images?:', 'pictures?:', 'gallery:', 'credit:', 'copyright',
      'this (?:article|story) (?:was|has been) (?:updated|amended|corrected|first published)',
      '(?:first )?published(?: on| at)?:?(?= ?\\d)', '(?:last )?updated(?: on| at)?:?(?= ?\\d)', 'updated:',
      'back to top', 'skip to', 'comments?(?: \\(\\d+\\))?:?$', 'we use cookies', 'this (?:web)?site uses cookies',
      'by continuing',
      // German
      'mehr zu(?:m|r)?(?: thema)?', 'mehr dazu', 'mehr lesen', 'lesen sie (?:auch|mehr|hier|weiter)', 'weiterlesen',
      'auch interessant', 'das könnte sie (?:auch )?interessieren', 'weitere (?:artikel|nachrichten|meldungen|themen)',
      'verwandte (?:artikel|themen)', 'zum thema:?$', 'empfehlungen:?$', 'meistgelesen', 'anzeige:?$', 'anzeige:',
      'werbung:?$', 'artikel (?:anhören|teilen|drucken|merken|verschenken)', 'teilen(?: sie (?:diesen|den) artikel)?:?$',
      'folgen sie uns', 'hier klicken', 'klicken sie hier', 'jetzt (?:abonnieren|anmelden|registrieren|weiterlesen|testen|lesen)',
      'abonnieren sie', 'melden sie sich', 'foto(?:s|grafie)?:', 'bild(?:er)?:', 'grafik:', 'quelle:', 'audio:',
      'zur startseite', 'nach oben', 'stand:', 'veröffentlicht(?: am)?:?(?= ?\\d)', '(?:zuletzt )?aktualisiert(?: am)?:?(?= ?\\d)',
      'lesezeit', 'kommentare?(?: \\(\\d+\\))?:?$', 'diese (?:seite|website) verwendet cookies', 'wir verwenden cookies',
      'alle rechte vorbehalten', 'hinweis: dieser (?:artikel|text)',
    ].join('|') +
    ')(?=$|[\\s:.,!?…»"“”)|-])',
  'iu',
);

/** Anywhere in a line or sentence: credits, copyright, and calls to subscribe, share or accept cookies. */
const ANYWHERE_RES: readonly RegExp[] = [
  /\((?:image|photo|picture|pictures|credit|foto|bild|grafik|quelle|source)s?\s*:[^)]*\)/iu,
  /(?:^|\s)(?:foto|fotos|bild|bilder|photo|image|credit)\s*:\s*\S/iu,
  /©|\(c\)\s*\d{4}|\bcopyright\s*(?:©|\(c\)|\d{4})|all rights reserved|alle rechte vorbehalten/iu,
  /getty images|imago(?: images)?\b|picture[- ]alliance|shutterstock|istock(?:photo)?|ap photo|dpa-bildfunk|reuters\/[a-z]/iu,
  /newsletter.{0,80}(?:sign up|subscribe|inbox|register|abonnieren|anmelden|postfach|bestellen|kostenlos)|(?:sign up|subscribe|abonnieren|anmelden|melden sie sich).{0,80}newsletter/iu,
  /(?:share|teilen)\s+(?:this(?: article| story)?\s+|(?:den|diesen) artikel\s+)?(?:on|auf|via|per)\s+(?:facebook|twitter|x\b|whatsapp|linkedin|threads|bluesky|reddit|e-?mail)/iu,
  /\bfollow (?:us|@)|\bfolgen sie (?:uns|@)|like us on facebook/iu,
  /(?:subscribe|subscribers?|abonnent(?:en|innen)?|abo\b|plus-artikel|paywall).{0,60}(?:continue reading|weiterlesen|read the full|unlimited access|freischalten|zugriff)/iu,
  /continue reading|unlimited access|exklusiv für abonnent/iu,
  /\b(?:we|wir|this (?:web)?site|diese (?:seite|website))\b.{0,40}\bcookies?\b/iu,
  /\b(?:click|tap) here\b|\bhier klicken\b|\bklicken sie hier\b/iu,
];

/** A line that is only a news agency credit: `(dpa)`, `dpa/AFP`, `Reuters`. */
const AGENCY_ONLY_RE = /^\(?(?:dpa|afp|ap|reuters|rtr|epd|kna|sid|ddp|apa|sda|ots|dts|kna)(?:[/,\s]+(?:dpa|afp|ap|reuters|rtr|epd|kna|sid|ddp|apa|sda|ots|dts|[a-z]{2,4}))*\)?\.?$/iu;

/** A byline: `By Maya Okafor`, `Von Anna Weber und Max Maier, Berlin`. */
const BYLINE_RE = /^(?:[Bb]y|[Vv]on)\s+\p{Lu}[\p{L}.'’-]+(?:\s+(?:\p{Lu}[\p{L}.'’-]+|und|and|&|van|von|de|der))*(?:\s*[,|·•–-].*)?$/u;

/**
 * True for a line or sentence that is page furniture rather than story: see the module comment.
 * Case-insensitive; the text is expected trimmed with whitespace collapsed.
 */
export function isBoilerplate(text: string): boolean {
  if (LEADING_RE.test(text)) return true;
  if (AGENCY_ONLY_RE.test(text)) return true;
  // A byline has no closing period; `By Thursday, the company had agreed.` is a sentence.
  if (text.length < 120 && !/[.!?]$/.test(text) && BYLINE_RE.test(text)) return true;
  return ANYWHERE_RES.some((re) => re.test(text));
}
