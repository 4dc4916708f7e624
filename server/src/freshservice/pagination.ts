import { AppError } from '../errors';
import { headerValue } from './failures';

function loopingLink(what: string, detail: string): AppError {
  return new AppError(502, 'BAD_RESPONSE', `Freshservice's paging of ${what} is inconsistent: ${detail}. The app stopped reading instead of looping.`);
}

/** The URL of the `rel="next"` entry of a Link header, if any. */
function nextLinkUrl(link: string): string | null {
  for (const entry of link.split(',')) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(entry.trim());
    if (match && /rel\s*=\s*"?next"?/i.test(match[2] ?? '')) {
      return match[1] ?? '';
    }
  }
  return null;
}

/**
 * The page to read after `currentPage`, from Freshservice's Link header (which may omit
 * per_page), or null on the last page. A next link that does not move forward would make
 * the audit spin forever, so it is an error.
 */
export function nextPageAfter(headers: Record<string, string | undefined>, currentPage: number, what: string): number | null {
  const url = nextLinkUrl(headerValue(headers, 'link') ?? '');
  if (url === null) {
    return null;
  }
  const page = /[?&]page=(\d+)/.exec(url)?.[1];
  if (page === undefined) {
    throw loopingLink(what, 'the next-page link has no page number');
  }
  const next = Number(page);
  if (next <= currentPage) {
    throw loopingLink(what, `page ${currentPage} links back to page ${next}`);
  }
  return next;
}
