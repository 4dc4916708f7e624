import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWidgetScripts, repoRoot, WORDS } from './load-scripts';

/** Runs `run` with the process in another time zone (Node re-reads TZ for each new formatter). */
function inTimeZone<T>(zone: string, run: () => T): T {
  const before = process.env['TZ'];
  process.env['TZ'] = zone;
  try {
    return run();
  } finally {
    if (before === undefined) {
      delete process.env['TZ'];
    } else {
      process.env['TZ'] = before;
    }
  }
}

describe('widget words (app/src/text.ts and app/src/i18n/en.ts)', () => {
  it('fills {placeholders} as plain text and leaves unknown ones visible', () => {
    const text = loadWidgetScripts(...WORDS).accessText;
    assert.equal(text.t('hold.adminRole', { role: 'Admin' }), 'You hold the Admin role. Admin is not Account Admin.');
    assert.equal(text.t('hold.adminRole', { role: '<b>x</b>' }), 'You hold the <b>x</b> role. <b>x</b> is not Account Admin.', 'no markup is made: callers set textContent');
    assert.equal(text.t('requester.unnamed'), 'User {id}');
  });

  it('picks the plural form the language needs, with the count in the viewer\'s locale', () => {
    const text = loadWidgetScripts(...WORDS).accessText;
    assert.equal(text.count('queue.waiting', 1), '1 API-key request waiting');
    assert.equal(text.count('queue.waiting', 1200), '1,200 API-key requests waiting');
    text.useLocale('de-DE');
    assert.equal(text.count('queue.waiting', 1200), '1.200 API-key requests waiting', 'English words, German digits: no German catalogue is shipped');
  });

  it('uses a translation when one is registered, and English for any key it lacks', () => {
    const window = loadWidgetScripts(...WORDS);
    window.accessCatalogues['fr'] = { 'action.retry': 'Réessayer' };
    window.accessText.useLocale('fr-CA');
    assert.equal(window.accessText.t('action.retry'), 'Réessayer');
    assert.equal(window.accessText.t('action.close'), 'Close');
    window.accessText.useLocale('not a locale!');
    assert.equal(window.accessText.locale(), 'en');
  });

  it('says recent times relatively and older ones as a date in the viewer\'s time zone', () => {
    const text = loadWidgetScripts(...WORDS).accessText;
    const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();
    assert.equal(text.when(ago(5_000)), 'just now');
    assert.equal(text.when(ago(3 * 60_000)), '3 minutes ago');
    assert.equal(text.when(ago(5 * 3_600_000)), '5 hours ago');
    assert.equal(text.when(ago(26 * 3_600_000)), 'yesterday');
    assert.equal(text.when(null), 'never');
    inTimeZone('America/New_York', () => {
      const local = loadWidgetScripts(...WORDS).accessText;
      assert.equal(local.when('2026-01-02T03:04:05Z'), 'Jan 1, 2026, 10:04 PM', 'the evening before, in New York');
      assert.match(local.exactWhen('2026-01-02T03:04:05Z'), /January 1, 2026 at 10:04:05 PM EST/);
    });
    inTimeZone('Asia/Tokyo', () => {
      assert.equal(loadWidgetScripts(...WORDS).accessText.when('2026-01-02T03:04:05Z'), 'Jan 2, 2026, 12:04 PM');
    });
  });

  it('loads nothing more for English', async () => {
    const text = loadWidgetScripts(...WORDS).accessText;
    await text.ready();
    assert.equal(text.locale(), 'en');
  });

  it('keeps every user-visible string in the catalogue: no English sentence is written in the widget\'s code', () => {
    // A crude but useful guard: string literals that look like a sentence (a capital, words, a space) outside app/src/i18n.
    const sources = ['kit.ts', 'ask.ts', 'access-parts.ts', 'access-view.ts', 'queue.ts', 'queue-page.ts', 'sidebar.ts', 'console.ts', 'console-model.ts', 'text.ts'];
    for (const file of sources) {
      const code = readFileSync(join(repoRoot, 'app', 'src', file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      const sentences = [...code.matchAll(/'([A-Z][a-z]+(?: [a-zA-Z]+){2,}[^']*)'/g)].map((match) => match[1]).filter((found) => !/^(Account Admin access|The \w+ page has no)/.test(found ?? ''));
      assert.deepEqual(sentences, [], `${file} shows words that are not in the catalogue`);
    }
  });
});
