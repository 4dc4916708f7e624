/*
 * Asking the Account Admins without the app sending mail (it has no way to): a ready message
 * that names the agent, the exact steps in Freshservice and the link to the agent's Permissions
 * page, offered as mail links (mailto:, the viewer's own mail program) and as text to copy.
 * Exposed as window.accessAsk.
 */

/** Only an address's unsafe characters are encoded, so "?" or "&" in data cannot add mail headers. */
function mailAddress(address: string): string {
  return encodeURIComponent(address).replace(/%40/g, '@');
}

function askValues(about: AskFor): MessageValues {
  const path = window.accessText.t('path.menu', { agent: about.agent.name });
  return { agent: about.agent.name, email: about.agent.email, sender: about.sender.name, link: about.link ?? '', reason: about.reason ?? '', path };
}

function askMessage(about: AskFor): AskMessage {
  const text = window.accessText;
  const values = askValues(about);
  const lines = [
    text.t(about.kind === 'enable' ? 'ask.body.enable' : 'ask.body.stillDisabled', values),
    values['reason'] === '' ? null : text.t('ask.body.reason', values),
    '',
    text.t('ask.body.steps', values),
    values['link'] === '' ? null : text.t('ask.body.link', values),
    '',
    text.t('ask.body.closing', values),
  ];
  return {
    subject: text.t(about.kind === 'enable' ? 'ask.subject.enable' : 'ask.subject.stillDisabled', values),
    body: lines.filter((line): line is string => line !== null).join('\n'),
  };
}

/** A mail link to `to` alone, every address encoded. */
function mailto(to: string[]): string {
  return `mailto:${to.map(mailAddress).join(',')}`;
}

/** RFC 6068: hfields percent-encoded, line breaks as CRLF. */
function mailtoHref(to: string[], message: AskMessage): string {
  const body = message.body.replace(/\n/g, '\r\n');
  return `${mailto(to)}?subject=${encodeURIComponent(message.subject)}&body=${encodeURIComponent(body)}`;
}

/**
 * The ready message in the viewer's mail program: a mail link followed inside the click that
 * asks, so the request and the message leave in one gesture (and no pop-up blocker stops it).
 */
function openMail(to: string[], message: AskMessage): void {
  const link = window.accessKit.el('a', { attrs: { href: mailtoHref(to, message), target: '_blank', rel: 'noopener' } });
  document.body.append(link);
  link.click();
  link.remove();
}

function fullText(message: AskMessage): string {
  return `${message.subject}\n\n${message.body}`;
}

function mailLink(words: string, to: string[], message: AskMessage, className: string): HTMLElement {
  return window.accessKit.el('a', { className, text: words, attrs: { href: mailtoHref(to, message), target: '_blank', rel: 'noopener' } });
}

function peopleLinks(admins: AgentAccess[], message: AskMessage): HTMLElement {
  const kit = window.accessKit;
  const items = admins.map((admin) => {
    const link = mailLink(admin.name, [admin.email], message, 'person-name mail-link');
    link.setAttribute('title', window.accessText.t('ask.mailOne', { name: admin.name, email: admin.email }));
    return kit.el('li', {}, [link]);
  });
  return kit.el('ul', { className: 'people inline', attrs: { 'aria-label': window.accessText.t('people.accountAdmins') } }, items);
}

/** Clipboard first; inside an iframe without clipboard permission, the selection-copy fallback. */
async function copyText(value: string, source: HTMLTextAreaElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    source.focus();
    source.select();
    return document.execCommand('copy');
  }
}

function copyButton(message: AskMessage, source: HTMLTextAreaElement, details: HTMLDetailsElement, status: HTMLElement): HTMLElement {
  const text = window.accessText;
  const copy = (): void => {
    copyText(fullText(message), source)
      .then((copied) => {
        status.textContent = text.t(copied ? 'ask.copied' : 'ask.copyByHand');
        // When nothing could be copied, the message is shown selected: the viewer copies it.
        details.open = details.open || !copied;
      })
      .catch(window.accessKit.reportQuietly);
  };
  return window.accessKit.button(text.t('ask.copy'), 'secondary', copy);
}

function panel(admins: AgentAccess[], message: AskMessage, mailPrimary: boolean): HTMLElement {
  const kit = window.accessKit;
  const text = window.accessText;
  const source = kit.el('textarea', { className: 'ask-text', text: fullText(message), attrs: { readonly: '', rows: '8', 'aria-label': text.t('ask.messageLabel') } }) as HTMLTextAreaElement;
  const details = kit.el('details', { className: 'ask-details' }, [kit.el('summary', { text: text.t('ask.see') }), source]) as HTMLDetailsElement;
  const status = kit.el('span', { className: 'hint ask-status', attrs: { role: 'status' } });
  const mail = admins.length === 0 ? null : mailLink(text.t('ask.mailAll'), admins.map((admin) => admin.email), message, mailPrimary ? 'link-button primary' : 'link-button');
  return kit.el('div', { className: 'ask-message' }, [kit.el('div', { className: 'actions' }, [mail, copyButton(message, source, details, status), status]), details]);
}

window.accessAsk = { message: askMessage, mailto, mailtoHref, openMail, peopleLinks, panel };
