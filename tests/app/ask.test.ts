import { strict as assert } from 'node:assert';
import { loadWidgetScripts, WORDS } from './load-scripts';

describe('asking the Account Admins without mail (app/src/ask.ts)', () => {
  const ask = loadWidgetScripts(...WORDS, 'kit.js', 'ask.js').accessAsk;
  const about = {
    agent: { name: 'Chloé Dubois', email: 'chloe@acme.example' },
    sender: { name: 'Chloé Dubois' },
    link: 'https://acme.freshservice.com/agents/7/edit',
    reason: 'Azure AD provisioning',
    kind: 'enable' as const,
  };

  it('names the agent, the menu path (in Freshservice\'s own words) and the direct link, said to be a best guess', () => {
    const message = ask.message(about);
    assert.equal(message.subject, 'Please switch on the Freshservice API key of Chloé Dubois');
    assert.equal(
      message.body,
      [
        'Hello,',
        '',
        'could you switch on the API key of Chloé Dubois (chloe@acme.example) in Freshservice? Only an Account Admin can do it.',
        'What it is for: Azure AD provisioning',
        '',
        'In Freshservice: Admin > Global Settings > User Management > Agents > Chloé Dubois > Permissions > API key.',
        "Direct link (the app's best guess: if it does not show the Permissions tab, use the menu above): https://acme.freshservice.com/agents/7/edit",
        '',
        'Thank you,',
        'Chloé Dubois',
      ].join('\n'),
    );
  });

  it('leaves out the lines it has nothing for, and says "still disabled" after an enable', () => {
    const message = ask.message({ ...about, link: null, reason: null, kind: 'stillDisabled' });
    assert.equal(message.subject, 'The Freshservice API key of Chloé Dubois is still disabled');
    assert.doesNotMatch(message.body, /Direct link|What it is for/);
    assert.match(message.body, /still says "Your API key is disabled"/);
  });

  it('builds a mailto: link with every field encoded, lines ending CRLF, and no way to add a header from data', () => {
    const href = ask.mailtoHref(['ana@acme.example', 'evil@x.example?bcc=all@acme.example'], { subject: 'A & B', body: 'one\ntwo' });
    assert.equal(href, 'mailto:ana@acme.example,evil@x.example%3Fbcc%3Dall@acme.example?subject=A%20%26%20B&body=one%0D%0Atwo');
  });

  it('builds a plain mail link (the console\'s list of Account Admins): an ordinary address as it is, nothing from data as a header', () => {
    assert.equal(ask.mailto(['ana.souza@acme.example']), 'mailto:ana.souza@acme.example');
    assert.equal(ask.mailto(['evil@x.example?bcc=all@acme.example']), 'mailto:evil@x.example%3Fbcc%3Dall@acme.example');
  });
});
