/** A story as a feed gives it: headline and lead text. */
export interface PairStory {
  title: string;
  lead: string;
}

/** Two stories and whether they report the same event. */
export interface StoryPair {
  name: string;
  a: PairStory;
  b: PairStory;
}

/**
 * The same event from two outlets: the second rewrites the headline and reuses the agency lead
 * with the usual edits (a dateline, a word changed, a sentence cut).
 */
export const SAME_STORY_PAIRS: StoryPair[] = [
  {
    name: 'en: Microsoft in TikTok talks (Reuters lead reused)',
    a: {
      title: "Microsoft confirms talks to buy TikTok's US operations",
      lead: 'Microsoft said on Sunday it had held talks with ByteDance about acquiring the U.S. operations of the video-sharing app TikTok, and that it would continue negotiations after CEO Satya Nadella spoke with President Donald Trump. The company said it would move quickly and aimed to complete the talks by September 15.',
    },
    b: {
      title: 'Microsoft in talks for TikTok after Nadella speaks with Trump',
      lead: 'WASHINGTON (Reuters) - Microsoft said on Sunday it had held talks with ByteDance about acquiring the U.S. operations of the video-sharing app TikTok, and that it would continue negotiations after CEO Satya Nadella spoke with President Donald Trump. The company said it aimed to complete the talks by Sept. 15.',
    },
  },
  {
    name: 'en: Noto earthquake (AP lead reused)',
    a: {
      title: 'Strong earthquake shakes central Japan, tsunami warning issued',
      lead: 'A magnitude 7.5 earthquake struck the Noto peninsula in central Japan on Monday afternoon, the Japan Meteorological Agency said, prompting a tsunami warning for coastal areas of Ishikawa prefecture. Residents were told to evacuate to higher ground immediately. There were no immediate reports of damage at nuclear power plants in the region, the nuclear regulator said.',
    },
    b: {
      title: 'Japan orders evacuations after 7.5 quake hits Noto peninsula',
      lead: 'TOKYO (AP) — A magnitude 7.5 earthquake struck the Noto peninsula in central Japan on Monday afternoon, the Japan Meteorological Agency said, prompting a tsunami warning for coastal areas of Ishikawa prefecture. Residents were told to evacuate to higher ground immediately. There were no immediate reports of damage at nuclear plants, the regulator said.',
    },
  },
  {
    name: 'en: Fed holds rates (lead lightly reworded)',
    a: {
      title: 'Fed holds interest rates steady, signals cuts later this year',
      lead: 'The Federal Reserve left its benchmark interest rate unchanged on Wednesday at a range of 5.25% to 5.5% and signaled that it still expects to cut rates three times this year, even as inflation has proved stickier than expected in recent months. Policymakers said they needed greater confidence that inflation was moving sustainably toward 2%.',
    },
    b: {
      title: 'Federal Reserve keeps rates on hold, still sees three cuts in 2024',
      lead: 'The Federal Reserve on Wednesday left its benchmark interest rate unchanged at a range of 5.25% to 5.5% and signaled it still expects to cut rates three times this year, even though inflation has proved stickier than expected in recent months. Policymakers said they need greater confidence that inflation is moving sustainably toward 2%.',
    },
  },
  {
    name: 'en: Boeing CEO steps down (lead trimmed)',
    a: {
      title: 'Boeing CEO Dave Calhoun to step down at end of year',
      lead: 'Boeing Chief Executive Dave Calhoun will step down at the end of 2024 as part of a broad management shake-up, the planemaker said on Monday, as it grapples with a safety crisis after a cabin panel blew off a 737 MAX jet in midair in January. Chairman Larry Kellner will not stand for re-election at the annual shareholder meeting.',
    },
    b: {
      title: 'Boeing chief to exit amid 737 MAX safety crisis; chairman also leaving',
      lead: '(Reuters) - Boeing Chief Executive Dave Calhoun will step down at the end of 2024 as part of a broad management shake-up, the planemaker said on Monday, as it grapples with a safety crisis after a door panel blew off a 737 MAX jet in midair in January. Board chair Larry Kellner will not stand for re-election.',
    },
  },
  {
    name: 'de: Microsoft bestätigt Interesse an Tiktok (dpa)',
    a: {
      title: 'Microsoft bestätigt Interesse an Tiktok',
      lead: 'Der US-Softwarekonzern Microsoft hat Gespräche über eine Übernahme des US-Geschäfts der Video-App Tiktok bestätigt. Konzernchef Satya Nadella habe mit Präsident Donald Trump gesprochen, teilte das Unternehmen am Sonntag mit. Die Verhandlungen mit dem chinesischen Eigentümer Bytedance sollen bis zum 15. September abgeschlossen sein.',
    },
    b: {
      title: 'Tiktok-Übernahme: Microsoft verhandelt mit Bytedance',
      lead: 'Redmond (dpa) - Der US-Softwarekonzern Microsoft hat Gespräche über eine Übernahme des US-Geschäfts der Video-App Tiktok bestätigt. Konzernchef Satya Nadella habe mit US-Präsident Donald Trump gesprochen, teilte das Unternehmen am Sonntag mit. Die Verhandlungen mit dem chinesischen Eigentümer Bytedance sollen bis 15. September abgeschlossen werden.',
    },
  },
  {
    name: 'de: GDL-Streik (dpa, letzter Satz fehlt)',
    a: {
      title: 'GDL kündigt neuen Bahnstreik an',
      lead: 'Die Lokführergewerkschaft GDL hat erneut zu einem Streik bei der Deutschen Bahn aufgerufen. Der Ausstand im Personenverkehr soll in der Nacht zum Mittwoch um 2 Uhr beginnen und 24 Stunden dauern, teilte die Gewerkschaft mit. Im Güterverkehr beginnt der Streik bereits am Dienstagabend. Fahrgäste müssen sich auf massive Einschränkungen einstellen.',
    },
    b: {
      title: 'Lokführer streiken wieder: Bahn-Chaos ab Mittwoch',
      lead: 'Berlin (dpa) - Die Lokführergewerkschaft GDL hat erneut zu einem Streik bei der Deutschen Bahn aufgerufen. Der Ausstand im Personenverkehr soll in der Nacht zu Mittwoch um 2.00 Uhr beginnen und 24 Stunden dauern, teilte die Gewerkschaft am Montag mit. Im Güterverkehr beginnt der Streik bereits am Dienstagabend.',
    },
  },
  {
    name: 'de: Hochwasser in Bayern (AFP)',
    a: {
      title: 'Unwetter in Bayern: Hochwasserwarnung für mehrere Landkreise',
      lead: 'Nach tagelangem Starkregen hat der Deutsche Wetterdienst für weite Teile Bayerns eine Unwetterwarnung herausgegeben. In mehreren Landkreisen an der Donau und ihren Nebenflüssen wurde die höchste Hochwasser-Meldestufe erreicht. Die Feuerwehr ist im Dauereinsatz, erste Orte wurden evakuiert.',
    },
    b: {
      title: 'Hochwasser: Evakuierungen in Bayern - Donau steigt weiter',
      lead: 'München (AFP) - Nach tagelangem Starkregen hat der Deutsche Wetterdienst für weite Teile Bayerns eine Unwetterwarnung herausgegeben. In mehreren Landkreisen an der Donau und ihren Nebenflüssen wurde die höchste Meldestufe erreicht. Feuerwehr und THW sind im Dauereinsatz, erste Orte wurden evakuiert.',
    },
  },
  {
    name: 'de: EZB senkt Leitzins (Reuters)',
    a: {
      title: 'EZB senkt Leitzins erstmals seit fünf Jahren',
      lead: 'Die Europäische Zentralbank hat erstmals seit 2019 die Zinsen gesenkt. Der für Banken maßgebliche Einlagensatz sinkt um 0,25 Prozentpunkte auf 3,75 Prozent, wie die Notenbank am Donnerstag in Frankfurt mitteilte. Weitere Schritte ließ EZB-Präsidentin Christine Lagarde offen.',
    },
    b: {
      title: 'Zinswende: Europäische Zentralbank lockert Geldpolitik',
      lead: 'Frankfurt/Main (Reuters) - Die Europäische Zentralbank hat erstmals seit 2019 die Zinsen gesenkt. Der für Banken maßgebliche Einlagensatz sinkt um 0,25 Prozentpunkte auf 3,75 Prozent, teilte die Notenbank am Donnerstag mit. Weitere Zinsschritte ließ EZB-Präsidentin Christine Lagarde offen.',
    },
  },
];

/** Different events that share the subject, names and vocabulary. */
export const DIFFERENT_STORY_PAIRS: StoryPair[] = [
  {
    name: 'en: two TikTok stories',
    a: {
      title: 'TikTok CEO grilled by Congress over China ties and data safety',
      lead: "TikTok chief executive Shou Zi Chew faced five hours of questioning from U.S. lawmakers on Thursday, who pressed him on the app's ties to China and the safety of American users' data. Chew said the company had never shared U.S. user data with the Chinese government and would not do so if asked.",
    },
    b: {
      title: 'TikTok launches its shopping platform in the United States',
      lead: 'TikTok on Tuesday launched its e-commerce platform TikTok Shop in the United States, betting that its 150 million American users will buy products directly from the app. The company said more than 200,000 merchants had signed up to sell on the platform during a months-long test.',
    },
  },
  {
    name: 'en: two Federal Reserve stories',
    a: {
      title: 'Fed holds interest rates steady, signals cuts later this year',
      lead: 'The Federal Reserve left its benchmark interest rate unchanged on Wednesday at a range of 5.25% to 5.5% and signaled that it still expects to cut rates three times this year, even as inflation has proved stickier than expected in recent months. Policymakers said they needed greater confidence that inflation was moving sustainably toward 2%.',
    },
    b: {
      title: "Powell says Fed is in no hurry to cut interest rates",
      lead: 'Federal Reserve Chair Jerome Powell said on Friday that the U.S. central bank can be patient before cutting interest rates, pointing to a strong labor market and inflation that remains above the 2% target. Speaking at Stanford University, Powell said recent data had not materially changed the overall picture.',
    },
  },
  {
    name: 'en: Japan economy and Japan earthquake',
    a: {
      title: 'Strong earthquake shakes central Japan, tsunami warning issued',
      lead: 'A magnitude 7.5 earthquake struck the Noto peninsula in central Japan on Monday afternoon, the Japan Meteorological Agency said, prompting a tsunami warning for coastal areas of Ishikawa prefecture. Residents were told to evacuate to higher ground immediately.',
    },
    b: {
      title: "Japan's economy unexpectedly shrinks in third quarter",
      lead: "Japan's economy contracted at an annualized rate of 2.1% in the July-September quarter, government data showed on Wednesday, as weak consumption and capital spending weighed on growth. The Japan Meteorological Agency's forecast of a warm winter added to worries about retail demand.",
    },
  },
  {
    name: 'en: two Boeing stories',
    a: {
      title: 'Boeing CEO Dave Calhoun to step down at end of year',
      lead: 'Boeing Chief Executive Dave Calhoun will step down at the end of 2024 as part of a broad management shake-up, the planemaker said on Monday, as it grapples with a safety crisis after a cabin panel blew off a 737 MAX jet in midair in January.',
    },
    b: {
      title: 'Boeing deliveries slump in March as 737 MAX output slows',
      lead: 'Boeing delivered 29 airplanes in March, down from 64 a year earlier, the planemaker said on Tuesday, as it slowed production of its 737 MAX jet under closer scrutiny from the Federal Aviation Administration after a cabin panel blew off a jet in January.',
    },
  },
  {
    name: 'de: Bahnstreik und Pünktlichkeit der Bahn',
    a: {
      title: 'GDL kündigt neuen Bahnstreik an',
      lead: 'Die Lokführergewerkschaft GDL hat erneut zu einem Streik bei der Deutschen Bahn aufgerufen. Der Ausstand im Personenverkehr soll in der Nacht zum Mittwoch um 2 Uhr beginnen und 24 Stunden dauern, teilte die Gewerkschaft mit.',
    },
    b: {
      title: 'Deutsche Bahn: Pünktlichkeit im Fernverkehr sinkt weiter',
      lead: 'Die Deutsche Bahn ist im Fernverkehr so unpünktlich wie lange nicht. Im Oktober erreichten nur 52 Prozent der ICE- und IC-Züge ihr Ziel ohne größere Verspätung, teilte der Konzern am Montag mit. Als Gründe nannte die Bahn Baustellen, Unwetter und Streiks der Gewerkschaft.',
    },
  },
  {
    name: 'de: Hochwasser in Bayern und in Niedersachsen',
    a: {
      title: 'Unwetter in Bayern: Hochwasserwarnung für mehrere Landkreise',
      lead: 'Nach tagelangem Starkregen hat der Deutsche Wetterdienst für weite Teile Bayerns eine Unwetterwarnung herausgegeben. In mehreren Landkreisen an der Donau und ihren Nebenflüssen wurde die höchste Hochwasser-Meldestufe erreicht.',
    },
    b: {
      title: 'Hochwasser in Niedersachsen: Deiche an der Aller halten',
      lead: 'Die Lage in den Hochwassergebieten in Niedersachsen bleibt angespannt, die Deiche an Aller, Leine und Hunte halten aber. Der Deutsche Wetterdienst erwartet für die kommenden Tage weniger Regen, teilte der Landkreis Verden am Sonntag mit.',
    },
  },
  {
    name: 'de: zwei EZB-Zinsentscheidungen',
    a: {
      title: 'EZB senkt Leitzins erstmals seit fünf Jahren',
      lead: 'Die Europäische Zentralbank hat erstmals seit 2019 die Zinsen gesenkt. Der für Banken maßgebliche Einlagensatz sinkt um 0,25 Prozentpunkte auf 3,75 Prozent, wie die Notenbank am Donnerstag in Frankfurt mitteilte.',
    },
    b: {
      title: 'EZB lässt Leitzins unverändert',
      lead: 'Die Europäische Zentralbank hat die Zinsen im Euroraum nicht angetastet. Der für Banken maßgebliche Einlagensatz bleibt bei 4,0 Prozent, wie die Notenbank am Donnerstag in Frankfurt mitteilte. EZB-Präsidentin Christine Lagarde deutete eine Zinssenkung im Juni an.',
    },
  },
  {
    name: 'de: Microsoft und Tiktok, Microsoft und Activision',
    a: {
      title: 'Microsoft bestätigt Interesse an Tiktok',
      lead: 'Der US-Softwarekonzern Microsoft hat Gespräche über eine Übernahme des US-Geschäfts der Video-App Tiktok bestätigt. Konzernchef Satya Nadella habe mit Präsident Donald Trump gesprochen, teilte das Unternehmen am Sonntag mit.',
    },
    b: {
      title: 'Microsoft schließt Übernahme von Activision Blizzard ab',
      lead: 'Der US-Softwarekonzern Microsoft hat die Übernahme des Spielekonzerns Activision Blizzard abgeschlossen. Nach der Zustimmung der britischen Wettbewerbsbehörde CMA sei der Kauf für 69 Milliarden Dollar vollzogen, teilte das Unternehmen am Freitag mit.',
    },
  },
];
