/**
 * Cutting text that came from Freshservice or a person (names, emails) to a stored size without
 * breaking a character: never half a surrogate pair, and never half of what a reader sees as one
 * character (an emoji with a skin tone or a family joined by zero-width joiners, a letter with
 * its combining accent). A cut text ends with "…" so nobody mistakes it for the whole.
 */
const ELLIPSIS = '…';

/** The text's user-perceived characters (grapheme clusters; code points where Intl.Segmenter is missing). */
export function characters(text: string): string[] {
  if (typeof Intl.Segmenter === 'function') {
    return Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (part) => part.segment);
  }
  return [...text];
}

/**
 * The longest start of `text` (whole characters, plus "…" when cut) that `fits`; the empty
 * string when not even "…" fits. `fits` must hold for shorter texts whenever it holds for a
 * longer one.
 */
export function shortenToFit(text: string, fits: (candidate: string) => boolean): string {
  if (fits(text)) {
    return text;
  }
  const parts = characters(text);
  let low = 0;
  let high = parts.length - 1;
  // Binary search for the most characters that still fit with the ellipsis.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(parts.slice(0, middle).join('') + ELLIPSIS)) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  const cut = parts.slice(0, low).join('') + ELLIPSIS;
  return fits(cut) ? cut : '';
}

/** At most `maxLength` UTF-16 code units (what JavaScript's `length` counts), cut at a character boundary. */
export function shorten(text: string, maxLength: number): string {
  return shortenToFit(text, (candidate) => candidate.length <= maxLength);
}
