/**
 * Synthetic but realistic data for bench/match.ts: a vocabulary of a few thousand English and
 * German news words, topics drawn from it, and stories made of the same words plus filler.
 * Deterministic (seeded), so runs are comparable.
 */

const ENGLISH = `tiktok bytedance microsoft apple google amazon meta tesla boeing airbus nvidia intel samsung
openai netflix spotify uber twitter facebook instagram whatsapp youtube android iphone ukraine russia china
taiwan israel gaza iran india brazil mexico canada japan korea germany france britain italy spain poland
turkey egypt nigeria kenya australia europe africa asia election inflation recession economy market stocks
shares bonds dollar euro yen bitcoin crypto ethereum bank banks lender loan mortgage rates interest fed
treasury budget deficit tariff tariffs trade exports imports sanctions oil gas energy solar wind nuclear
climate emissions carbon drought flood wildfire hurricane earthquake tsunami storm heatwave pandemic virus
vaccine covid measles cancer hospital doctors nurses strike union workers wages jobs layoffs hiring startup
merger acquisition lawsuit court judge jury trial verdict appeal ruling supreme senate congress parliament
minister president premier chancellor governor mayor police army navy military missile drone attack
ceasefire summit treaty nato un protest protesters riot refugee migrants border asylum visa ban bans data
privacy hack hackers breach ransomware outage chip chips semiconductor battery batteries car cars
electric vehicle vehicles airline airlines airport flight flights train rail railway port shipping
container tanker pipeline refinery harvest wheat corn coffee cocoa sugar gold silver copper lithium
football soccer olympics world cup champions league tennis cricket formula golf marathon coach transfer
film music album concert festival award oscar grammy netflix streaming podcast book novel museum
science space nasa rocket satellite moon mars telescope research study university school students
teachers exam pension pensions tax taxes housing rent homeless crime murder fraud bribery corruption
scandal resignation investigation probe regulator antitrust fine fines monopoly ai chatbot robot
software cloud security quantum smartphone laptop tablet console game games gaming esports`;

const GERMAN = `regierung bundestag bundesrat kanzler kanzlerin minister ministerin wahl wahlen koalition
opposition partei parteien spd cdu csu grune fdp afd linke bundeswehr polizei gericht urteil klage
staatsanwaltschaft ermittlungen razzia anschlag unfall brand feuerwehr rettungsdienst krankenhaus
arzte pflege rente renten steuer steuern haushalt schulden inflation zinsen leitzins ezb bundesbank
borse aktie aktien dax euro dollar wirtschaft konjunktur rezession export industrie autoindustrie
volkswagen bmw mercedes porsche siemens bayer basf lufthansa telekom bahn deutsche streik gewerkschaft
lokfuhrer verdi tarif lohn lohne mindestlohn arbeitsmarkt arbeitslosigkeit fachkrafte migration
fluchtlinge asyl grenze abschiebung integration schule schulen lehrer universitat studium forschung
klima klimaschutz energie strom gas heizung warmepumpe atomkraft kohle windkraft solar hitze durre
hochwasser unwetter sturm gewitter schnee glatte verkehr stau autobahn flughafen zug zuge ticket
deutschlandticket fussball bundesliga bayern dortmund leipzig trainer transfer meisterschaft pokal
olympia handball eishockey formel kultur theater kino film musik konzert festival buch preis museum
berlin hamburg munchen koln frankfurt stuttgart dusseldorf dresden leipzig hannover bremen nurnberg
sachsen thuringen brandenburg bayern hessen niedersachsen ukraine russland china usa israel iran
turkei frankreich polen italien spanien nato uno gipfel krieg frieden waffenruhe sanktionen
datenschutz digitalisierung internet handy smartphone ki roboter software hacker cyberangriff tiktok
verbot verbote gesetz gesetze reform reformen skandal rucktritt untersuchung korruption betrug
wohnung wohnungen miete mieten immobilien bau baustelle brucke gesundheit impfung virus pandemie`;

/** German compound parts: stems × heads gives the long compounds German headlines are made of. */
const GERMAN_STEMS = `energie strom gas klima daten kinder renten steuer schul wohnungs miet bahn auto flug
sicherheits verteidigungs gesundheits kranken arbeits wirtschafts finanz haushalts bildungs
verkehrs umwelt wasser wetter hochwasser grenz asyl polizei justiz medien internet handy zins
lebensmittel milch fleisch agrar bauern landwirtschafts handels zoll export import industrie
stahl chemie pharma impf corona grippe fussball sport olympia wahl partei regierungs`;
const GERMAN_HEADS = `preise preis krise gesetz reform streit plan paket hilfe hilfen verbot verbote
politik minister ministerin debatte gipfel bericht daten markt branche wende streik kosten
schutz steuer abgabe netz netze konzern konzerne behorde verband versorgung sicherheit
mangel schulden bilanz prognose zahlen quote`;

/** Function words and common verbs: most of a story, never a topic. */
const FILLER = `the a an of and to in on for with at by from as is was were are be been has have had
said says say will would could should may might after before over under about into than that
this these those it its their they he she we his her our new more most also but not no or
year years week month today yesterday monday tuesday wednesday thursday friday people time
first last two three four five percent million billion according report reported told
der die das den dem des ein eine einer einen und oder aber mit von zu zum zur im in auf
aus bei nach vor uber unter fur gegen ohne seit bis wie als auch noch nur schon mehr sehr
ist sind war waren wird werden wurde wurden hat haben hatte sagte sagt teilte mit laut
jahr jahre woche monat heute gestern montag dienstag mittwoch donnerstag freitag menschen
prozent millionen milliarden erste zwei drei vier funf zeit seiner ihrer nicht kein`;

/** Spellings with diacritics, as feeds write them (normalization folds them back). */
const DIACRITICS: Readonly<Record<string, string>> = {
  grune: 'Grüne', arzte: 'Ärzte', borse: 'Börse', lokfuhrer: 'Lokführer', lohne: 'Löhne',
  fachkrafte: 'Fachkräfte', fluchtlinge: 'Flüchtlinge', universitat: 'Universität', warmepumpe: 'Wärmepumpe',
  durre: 'Dürre', glatte: 'Glätte', zuge: 'Züge', munchen: 'München', koln: 'Köln', dusseldorf: 'Düsseldorf',
  nurnberg: 'Nürnberg', thuringen: 'Thüringen', turkei: 'Türkei', rucktritt: 'Rücktritt', brucke: 'Brücke',
  uber: 'über', fur: 'für', funf: 'fünf', behorde: 'Behörde', strasse: 'Straße',
};

/** Syllables for proper names (people, companies, places), which most real topics are. */
const NAME_HEADS = `ko ma ber wal stein hof lin dra vel ter san mor kas ren bau fel gra hel jor lan mei nor pet ros schu tan vik wen zel al bren cor dun`;
const NAME_TAILS = `vic mann berg ski nik ow sen son ton ler ford feld stadt holm ria tek ex on ix ano ini ova ez ard`;

function words(list: string): string[] {
  return [...new Set(list.split(/\s+/).filter((w) => w !== ''))];
}

/** Seeded PRNG (mulberry32). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Corpus {
  vocabulary: string[];
  filler: string[];
}

export function buildCorpus(): Corpus {
  const compounds: string[] = [];
  for (const stem of words(GERMAN_STEMS)) for (const head of words(GERMAN_HEADS)) compounds.push(stem + head);
  const filler = words(FILLER);
  const fillerSet = new Set(filler);
  const names: string[] = [];
  for (const head of words(NAME_HEADS)) for (const tail of words(NAME_TAILS)) for (const middle of ['', 'a', 'er']) names.push(head + middle + tail);
  const vocabulary = [...new Set([...words(ENGLISH), ...words(GERMAN), ...compounds, ...names])].filter((w) => !fillerSet.has(w));
  return { vocabulary, filler };
}

/** Picks index i with probability ∝ 1/(i+1)^s (Zipf), by inverse transform over a prepared table. */
function zipfPicker(n: number, s: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cumulative[i] = total += 1 / (i + 1) ** s;
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function spell(word: string, random: () => number): string {
  const base = DIACRITICS[word] ?? word;
  return random() < 0.5 ? base.charAt(0).toUpperCase() + base.slice(1) : base;
}

/**
 * Distinct random topics (by canonical form, as the store keeps them: many channels subscribed
 * to `tiktok` share one topic) in the mix people write: single words, two- and three-word
 * ANDs, ORs, phrases, exclusions, prefixes and small groups. Topic words follow a mild Zipf law
 * (popular subjects are subscribed more often). Single words run out at the vocabulary size,
 * so large sets are mostly combinations, as they would be in a real instance.
 */
export function generateTopics(corpus: Corpus, count: number, seed: number, canonical: (topic: string) => string): string[] {
  const random = createRandom(seed);
  const ranked = shuffled(corpus.vocabulary, random);
  const pickIndex = zipfPicker(ranked.length, 0.6, random);
  const word = (): string => ranked[pickIndex()] ?? 'news';
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < count) {
    const r = random();
    let topic: string;
    if (r < 0.2) topic = spell(word(), random);
    else if (r < 0.45) topic = `${word()} ${word()}`;
    else if (r < 0.55) topic = `${word()} ${word()} ${word()}`;
    else if (r < 0.68) topic = `${word()} OR ${word()}${random() < 0.4 ? ` | ${word()}` : ''}`;
    else if (r < 0.76) topic = `"${word()} ${word()}"`;
    else if (r < 0.84) topic = `${word()} -${word()}`;
    else if (r < 0.9) topic = `${word().slice(0, 4 + Math.floor(random() * 3))}*${random() < 0.5 ? ` ${word()}` : ''}`;
    else topic = `(${word()} OR ${word()}) ${word()} NOT "${word()} ${word()}"`;
    const key = canonical(topic);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(topic);
  }
  return out;
}

/** One story as a feed delivers it: a title and an HTML body. */
export interface BenchStory {
  title: string;
  content: string;
}

/**
 * Stories of news length (a 7-13 word title, a 90-220 word HTML body in paragraphs, with a
 * link or two): about a quarter subject words (Zipf), the rest filler; some words inflected
 * (`-s`), capitalized or hyphenated.
 */
export function generateStories(corpus: Corpus, count: number, seed: number): BenchStory[] {
  const random = createRandom(seed);
  const ranked = shuffled(corpus.vocabulary, random);
  const pickIndex = zipfPicker(ranked.length, 1, random);
  const fillerIndex = zipfPicker(corpus.filler.length, 0.8, random);
  const token = (subjectShare: number): string => {
    if (random() >= subjectShare) return corpus.filler[fillerIndex()] ?? 'the';
    let w = spell(ranked[pickIndex()] ?? 'news', random);
    if (random() < 0.1) w += 's';
    if (random() < 0.05) w += `-${spell(ranked[pickIndex()] ?? 'news', random)}`;
    return w;
  };
  const stories: BenchStory[] = [];
  for (let i = 0; i < count; i++) {
    const titleWords = Array.from({ length: 7 + Math.floor(random() * 7) }, () => token(0.4));
    const paragraphs: string[] = [];
    let remaining = 90 + Math.floor(random() * 130);
    while (remaining > 0) {
      const n = Math.min(remaining, 25 + Math.floor(random() * 30));
      remaining -= n;
      const sentence = Array.from({ length: n }, () => token(0.1));
      if (random() < 0.3) sentence.splice(3, 0, `<a href="https://example.com/${i}/${remaining}">${token(1)}</a>`);
      if (random() < 0.3) sentence.splice(1, 0, `<b>${token(1)}</b>`);
      paragraphs.push(`<p>${sentence.join(' ')}.</p>`);
    }
    stories.push({ title: titleWords.join(' '), content: paragraphs.join('\n') });
  }
  return stories;
}
