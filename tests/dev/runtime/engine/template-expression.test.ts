import { strict as assert } from 'node:assert';
import {
  parseTemplateExpression,
  renderTemplateString,
  TemplateRenderError,
} from '../../../../dev/runtime/engine/template-expression';
import type { MemberResolver } from '../../../../dev/runtime/engine/template-expression';

const values: Record<string, string> = { 'iparam.api_key': 'abc', 'iparam.domain': 'acme', 'context.page': '3' };

const resolve: MemberResolver = (root, keys) => {
  const value = values[[root, ...keys].join('.')];
  if (value === undefined) {
    throw new TemplateRenderError(`${root} unknown`);
  }
  return value;
};

describe('engine: template expressions', () => {
  it('renders member access inside literal text', () => {
    assert.equal(renderTemplateString('<%= iparam.domain %>.freshservice.com', resolve), 'acme.freshservice.com');
    assert.equal(renderTemplateString('/agents?p=<%=context.page%>', resolve), '/agents?p=3');
  });

  it('encodes with Base64 after concatenating string literals', () => {
    const expected = `Basic ${Buffer.from('abc:X').toString('base64')}`;
    assert.equal(renderTemplateString('Basic <%= encode(iparam.api_key + ":X") %>', resolve), expected);
    assert.equal(renderTemplateString("Basic <%= encode(iparam.api_key + ':X') %>", resolve), expected);
    assert.equal(renderTemplateString('<%= encode(iparam.api_key) %>', resolve), Buffer.from('abc').toString('base64'));
  });

  it('parses nested member paths and concatenation into a tree', () => {
    assert.deepEqual(parseTemplateExpression(' current_host.endpoint_urls.freshservice + "/x" '), {
      kind: 'concat',
      parts: [
        { kind: 'member', root: 'current_host', keys: ['endpoint_urls', 'freshservice'] },
        { kind: 'text', value: '/x' },
      ],
    });
  });

  for (const source of [
    'iparam["api_key"]',
    'process.env',
    'iparam.api_key; 1',
    'require("fs")',
    'encode(iparam.api_key',
    '1 + 1',
    'iparam.',
    '',
  ]) {
    it(`refuses "${source}" without running it`, () => {
      assert.throws(() => renderTemplateString(`<%= ${source} %>`, resolve), TemplateRenderError);
    });
  }

  it('refuses scriptlets other than <%= %>', () => {
    assert.throws(() => renderTemplateString('<% if (x) { %>a<% } %>', resolve), /only "<%= expression %>"/);
    assert.throws(() => renderTemplateString('<%- iparam.domain %>', resolve), TemplateRenderError);
  });

  it('leaves text without substitutions unchanged', () => {
    assert.equal(renderTemplateString('application/json', resolve), 'application/json');
  });
});
