import { describe, expect, it } from 'vitest';
import { isBoilerplate } from '../../../src/core/summary/boilerplate.js';

describe('boilerplate', () => {
  it.each([
    'Read more',
    'Read more: Why ports around the world are turning to robots',
    'Related',
    'Share on Facebook',
    'Share this article',
    "Sign up to our morning newsletter for the day's top stories, straight to your inbox.",
    'Follow us on Instagram for more running news.',
    'Advertisement',
    '© 2025 The Coastal Ledger. All rights reserved.',
    'Copyright 2025 Valley Herald',
    'The reservoir at dusk. (Image: Coastal Ledger)',
    'Photo: Reuters',
    'Published: 12 November 2025',
    'Comments (214)',
    'By Maya Okafor, Environment Reporter · 14 March 2025',
    'We use cookies to improve your experience.',
    'Mehr zum Thema',
    'Mehr zum Thema: Tiktok-Verbot',
    'Lesen Sie auch: Warum die Bahn streikt',
    'Das könnte Sie auch interessieren:',
    'Anzeige',
    'Foto: dpa',
    'Bild: Sandsäcke am Marktplatz, picture alliance/dpa',
    'Newsletter abonnieren: Die wichtigsten Nachrichten jeden Morgen kostenlos in Ihr Postfach.',
    'Stand: 04.03.2025, 16:12 Uhr',
    'Von Katrin Albers',
    'Teilen',
    'Artikel anhören',
    'Lesezeit: 3 Min.',
    '(dpa)',
    'dpa/AFP',
  ])('is boilerplate: %s', (text) => {
    expect(isBoilerplate(text)).toBe(true);
  });

  it.each([
    'Shares rose 2.4% on Friday.',
    'Related charges were filed on Monday.',
    'By Thursday, the company had agreed to the deal.',
    'The court ruled on a copyright case brought by a photographer.',
    'Subscribers to the service will pay more from April.',
    'The newsletter reported the sale first.',
    'Updated figures show a rise in cases.',
    'Veröffentlicht wurde der Bericht am Montag.',
    'Mehr als 200 Menschen kamen zur Kundgebung.',
    'Anzeige gegen Unbekannt wurde erstattet.',
    'Von Montag an gilt die neue Regel.',
    'Bild und Ton fielen am Abend aus.',
  ])('is story text: %s', (text) => {
    expect(isBoilerplate(text)).toBe(false);
  });
});
