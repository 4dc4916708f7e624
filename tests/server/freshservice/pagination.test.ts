import { strict as assert } from 'node:assert';
import { nextPageAfter } from '#server/freshservice/pagination';

describe('nextPageAfter (Link headers)', () => {
  it('reads the next page from a Link with per_page', () => {
    assert.equal(nextPageAfter({ link: '<https://acme.freshservice.com/api/v2/agents?page=2&per_page=100>; rel="next"' }, 1, 'agents'), 2);
  });

  it('reads the next page from a Link without per_page, any header case', () => {
    assert.equal(nextPageAfter({ Link: '<https://acme.freshservice.com/api/v2/agents?active=true&page=3>; rel="next"' }, 2, 'agents'), 3);
  });

  it('picks rel="next" among several relations', () => {
    const link = '<https://a.freshservice.com/api/v2/agents?page=1>; rel="prev", <https://a.freshservice.com/api/v2/agents?page=3>; rel="next"';
    assert.equal(nextPageAfter({ link }, 2, 'agents'), 3);
  });

  it('is null on the last page (no Link, or no next relation)', () => {
    assert.equal(nextPageAfter({}, 4, 'agents'), null);
    assert.equal(nextPageAfter({ link: '<https://a.freshservice.com/api/v2/agents?page=3>; rel="prev"' }, 4, 'agents'), null);
  });

  it('stops with BAD_RESPONSE when the Link loops back to an earlier page', () => {
    assert.throws(
      () => nextPageAfter({ link: '<https://a.freshservice.com/api/v2/agents?page=1>; rel="next"' }, 3, 'agents'),
      (error: unknown) => error instanceof Error && 'code' in error && error.code === 'BAD_RESPONSE' && /links back to page 1/.test(error.message),
    );
    assert.throws(() => nextPageAfter({ link: '<https://a.freshservice.com/api/v2/agents?page=3>; rel="next"' }, 3, 'agents'), /links back/);
  });

  it('stops with BAD_RESPONSE when the next link has no page number', () => {
    assert.throws(() => nextPageAfter({ link: '<https://a.freshservice.com/api/v2/agents?cursor=abc>; rel="next"' }, 1, 'agents'), /no page number/);
  });
});
