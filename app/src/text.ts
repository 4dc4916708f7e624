/*
 * The widget's words and formats, exposed as window.accessText. Every user-visible string comes
 * from a catalogue, one file per language under app/src/i18n/ (English shipped, always loaded
 * first), so a translation is a file, not a code change: a viewer whose browser asks for another
 * language gets scripts/i18n/<language>.js loaded when it exists, and English otherwise.
 * Placeholders are {name}; the formatter only replaces them (no HTML: callers set textContent).
 * Dates and numbers use the viewer's locale and time zone.
 */

const DEFAULT_LANGUAGE = 'en';
/** Younger than this, a time reads "3 hours ago"; older, as a date in the viewer's time zone. */
const RECENT_MS = 7 * 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat | Intl.PluralRules>();

function isUsableLocale(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
  } catch {
    return false;
  }
}

function browserLocale(): string {
  if (typeof navigator === 'undefined') {
    return DEFAULT_LANGUAGE;
  }
  const wanted = navigator.languages[0] ?? navigator.language;
  return isUsableLocale(wanted) ? wanted : DEFAULT_LANGUAGE;
}

let currentLocale = browserLocale();

function catalogues(): Partial<Record<string, Catalogue>> {
  return window.accessCatalogues ?? {};
}

function languageOf(locale: string): string {
  return locale.toLowerCase().split('-')[0] ?? DEFAULT_LANGUAGE;
}

/** The viewer's catalogue: the exact locale (pt-br), its language (pt), or English. */
function message(key: MessageKey): Message {
  const all = catalogues();
  const chosen = all[currentLocale.toLowerCase()] ?? all[languageOf(currentLocale)];
  return chosen?.[key] ?? all[DEFAULT_LANGUAGE]?.[key] ?? key;
}

function fill(template: string, values: MessageValues): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole));
}

function cached<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat | Intl.PluralRules>(kind: string, make: () => T): T {
  const key = `${currentLocale}|${kind}`;
  const known = formatters.get(key) as T | undefined;
  if (known !== undefined) {
    return known;
  }
  const made = make();
  formatters.set(key, made);
  return made;
}

function formatNumber(value: number): string {
  return cached('number', () => new Intl.NumberFormat(currentLocale)).format(value);
}

function t(key: MessageKey, values: MessageValues = {}): string {
  const found = message(key);
  return fill(typeof found === 'string' ? found : found.other, values);
}

/** A message with {count}, in the plural form the viewer's language uses for `value`. */
function count(key: MessageKey, value: number, values: MessageValues = {}): string {
  const found = message(key);
  const rule = cached('plural', () => new Intl.PluralRules(currentLocale)).select(value);
  const form = typeof found === 'string' ? found : (found[rule] ?? found.other);
  return fill(form, { ...values, count: formatNumber(value) });
}

function relative(ageMs: number): string {
  const format = cached('relative', () => new Intl.RelativeTimeFormat(currentLocale, { numeric: 'auto' }));
  const minutes = Math.floor(ageMs / 60_000);
  if (minutes < 1) {
    return t('time.justNow');
  }
  if (minutes < 60) {
    return format.format(-minutes, 'minute');
  }
  const hours = Math.floor(minutes / 60);
  return hours < 24 ? format.format(-hours, 'hour') : format.format(-Math.floor(hours / 24), 'day');
}

function timeOf(iso: string | null): number {
  return iso === null ? NaN : Date.parse(iso);
}

/** "3 hours ago" for the last seven days, otherwise the date and time in the viewer's time zone. */
function whenText(iso: string | null): string {
  const time = timeOf(iso);
  if (Number.isNaN(time)) {
    return t('time.never');
  }
  const age = Date.now() - time;
  if (age >= 0 && age < RECENT_MS) {
    return relative(age);
  }
  return cached('date', () => new Intl.DateTimeFormat(currentLocale, { dateStyle: 'medium', timeStyle: 'short' })).format(time);
}

/** The full date and time with the time zone's name: for tooltips next to a relative time. */
function exactWhen(iso: string | null): string {
  const time = timeOf(iso);
  if (Number.isNaN(time)) {
    return t('time.never');
  }
  return cached('exact', () => new Intl.DateTimeFormat(currentLocale, { dateStyle: 'long', timeStyle: 'long' })).format(time);
}

/** Loads scripts/i18n/<language>.js beside the page; resolves whether or not it exists (English then). */
function loadCatalogue(language: string): Promise<void> {
  return new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = `scripts/i18n/${language}.js`;
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => resolve());
    document.head.append(script);
  });
}

/** The viewer's language, loaded when it is neither English nor already on the page. */
function ready(): Promise<void> {
  const language = languageOf(currentLocale);
  // Only a plain language code becomes part of a path.
  if (!/^[a-z]{2,3}$/.test(language) || catalogues()[language] !== undefined || typeof document === 'undefined') {
    return Promise.resolve();
  }
  return loadCatalogue(language);
}

function useLocale(locale: string): void {
  currentLocale = isUsableLocale(locale) ? locale : DEFAULT_LANGUAGE;
}

window.accessText = {
  locale: () => currentLocale,
  useLocale,
  ready,
  t,
  count,
  number: formatNumber,
  when: whenText,
  exactWhen,
};
