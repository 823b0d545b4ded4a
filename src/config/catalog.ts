/**
 * The built-in feed catalog: major English and German news feeds, used when FEEDS_FILE is not
 * set. Data only. Every entry is polled once per interval however many channels subscribe.
 */
export interface CatalogFeed {
  url: string;
  name: string;
  language: 'en' | 'de';
}

export const DEFAULT_CATALOG: readonly CatalogFeed[] = [
  { name: 'BBC News', url: 'https://feeds.bbci.co.uk/news/rss.xml', language: 'en' },
  { name: 'BBC News World', url: 'https://feeds.bbci.co.uk/news/world/rss.xml', language: 'en' },
  { name: 'BBC News Technology', url: 'https://feeds.bbci.co.uk/news/technology/rss.xml', language: 'en' },
  { name: 'The Guardian World', url: 'https://www.theguardian.com/world/rss', language: 'en' },
  { name: 'The Guardian Technology', url: 'https://www.theguardian.com/uk/technology/rss', language: 'en' },
  { name: 'The New York Times', url: 'https://rss.nytimes.com/services/xml/rss/nyt/HomePage.xml', language: 'en' },
  { name: 'The New York Times Technology', url: 'https://rss.nytimes.com/services/xml/rss/nyt/Technology.xml', language: 'en' },
  { name: 'NPR News', url: 'https://feeds.npr.org/1001/rss.xml', language: 'en' },
  { name: 'Al Jazeera', url: 'https://www.aljazeera.com/xml/rss/all.xml', language: 'en' },
  { name: 'Sky News', url: 'https://feeds.skynews.com/feeds/rss/home.xml', language: 'en' },
  { name: 'CNBC', url: 'https://search.cnbc.com/rs/search/combinedcms/view.xml?partnerId=wrss01&id=100003114', language: 'en' },
  { name: 'CBS News', url: 'https://www.cbsnews.com/latest/rss/main', language: 'en' },
  { name: 'The Independent', url: 'https://www.independent.co.uk/news/rss', language: 'en' },
  { name: 'DW English', url: 'https://rss.dw.com/rdf/rss-en-all', language: 'en' },
  { name: 'Politico Europe', url: 'https://www.politico.eu/feed/', language: 'en' },
  { name: 'Ars Technica', url: 'https://feeds.arstechnica.com/arstechnica/index', language: 'en' },
  { name: 'The Verge', url: 'https://www.theverge.com/rss/index.xml', language: 'en' },
  { name: 'TechCrunch', url: 'https://techcrunch.com/feed/', language: 'en' },
  { name: 'Wired', url: 'https://www.wired.com/feed/rss', language: 'en' },
  { name: 'Engadget', url: 'https://www.engadget.com/rss.xml', language: 'en' },
  { name: 'tagesschau', url: 'https://www.tagesschau.de/xml/rss2/', language: 'de' },
  { name: 'DER SPIEGEL', url: 'https://www.spiegel.de/schlagzeilen/index.rss', language: 'de' },
  { name: 'ZEIT ONLINE', url: 'https://newsfeed.zeit.de/index', language: 'de' },
  { name: 'FAZ', url: 'https://www.faz.net/rss/aktuell/', language: 'de' },
  { name: 'Süddeutsche Zeitung', url: 'https://rss.sueddeutsche.de/rss/Topthemen', language: 'de' },
  { name: 'DW Deutsch', url: 'https://rss.dw.com/rdf/rss-de-all', language: 'de' },
  { name: 'n-tv', url: 'https://www.n-tv.de/rss', language: 'de' },
  { name: 'Tagesspiegel', url: 'https://www.tagesspiegel.de/contentexport/feed/home', language: 'de' },
  { name: 'Handelsblatt', url: 'https://www.handelsblatt.com/contentexport/feed/schlagzeilen', language: 'de' },
  { name: 'heise online', url: 'https://www.heise.de/rss/heise-atom.xml', language: 'de' },
  { name: 'Golem.de', url: 'https://rss.golem.de/rss.php?feed=ATOM1.0', language: 'de' },
  { name: 'netzpolitik.org', url: 'https://netzpolitik.org/feed/', language: 'de' },
  { name: 't3n', url: 'https://t3n.de/rss.xml', language: 'de' },
  { name: 'DER STANDARD', url: 'https://www.derstandard.at/rss', language: 'de' },
];
