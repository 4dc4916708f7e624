/*
 * The pending-request queue, one request after the other: the agent's access view in the body,
 * the step's primary action in the always-visible footer (focused), and after a decision (marked
 * enabled or declined) the next request by itself, until "All requests handled". Used by the
 * console's dialog and by the queue page the sidebar opens (queue.html, in FDK's modal).
 * Exposed as window.accessQueue.
 */

function isDecided(record: ApiKeyRecord): boolean {
  return record.state === 'enabled' || record.state === 'declined';
}

async function readPendingRequests(client: FdkClient): Promise<PendingRequest[]> {
  return window.accessKit.pendingRequestsOf(await window.accessKit.readLedgerIndex(client));
}

class PendingQueue {
  private requests: PendingRequest[] = [];
  private index = 0;
  private handled = 0;
  private view: AccessViewHandle | null = null;
  private readonly stepSlot = window.accessKit.el('div', { className: 'step-actions actions' });
  private readonly status = window.accessKit.el('p', { className: 'queue-status hint', attrs: { role: 'status' } });

  constructor(
    private readonly body: HTMLElement,
    private readonly options: QueueOptions,
  ) {}

  async start(): Promise<void> {
    const kit = window.accessKit;
    this.setTitle(null);
    this.body.replaceChildren(kit.skeleton(4, window.accessText.t('loading.pending')));
    this.options.footer.replaceChildren(this.closeButton('text'));
    try {
      this.requests = this.options.requests ?? (await readPendingRequests(this.options.client));
      this.show(0);
    } catch (error) {
      this.body.replaceChildren(kit.errorPanel(kit.toWidgetError(error), () => this.restart()));
    }
  }

  /**
   * "Request 1 of 3: Chloé Dubois", or the queue's name between requests. In FDK's modal the host
   * already shows the name above the page, so the page's own title then says nothing (not twice).
   */
  private setTitle(position: string | null): void {
    const title = this.options.title;
    const words = position ?? (this.options.titledByHost === true ? '' : window.accessText.t('queue.title'));
    title.textContent = words;
    title.hidden = words === '';
  }

  private restart(): void {
    this.options.requests = undefined;
    this.start().catch(window.accessKit.reportQuietly);
  }

  private closeButton(color: string): HTMLElement {
    const close = window.accessKit.button(window.accessText.t('action.close'), color, () => this.close());
    close.classList.add('queue-close');
    return close;
  }

  private close(): void {
    this.view?.dispose();
    this.options.onClose();
  }

  private show(index: number): void {
    const kit = window.accessKit;
    const text = window.accessText;
    this.view?.dispose();
    this.status.textContent = '';
    this.index = index;
    const request = this.requests[index];
    if (request === undefined) {
      this.finish();
      return;
    }
    this.setTitle(text.t('queue.position', { position: text.number(index + 1), total: text.number(this.requests.length), name: request.agent.name }));
    const content = kit.el('div', { className: 'queue-item', attrs: { 'data-agent-id': String(request.agent.id) } });
    this.body.replaceChildren(this.status, content);
    this.stepSlot.replaceChildren();
    const skip = kit.button(text.t('queue.skip'), 'text', () => this.show(this.index + 1));
    skip.classList.add('queue-skip');
    this.options.footer.replaceChildren(this.stepSlot, kit.el('span', { className: 'footer-gap' }), skip, this.closeButton('text'));
    this.view = window.accessView.mount(content, {
      client: this.options.client,
      viewer: this.options.viewer,
      viewedId: request.agent.id,
      host: this.options.host,
      actionsSlot: this.stepSlot,
      onLedgerChange: (change) => this.onLedgerChange(change),
    });
  }

  /** A decision moves on by itself; opening the page or undoing keeps the same request. */
  private onLedgerChange(change: LedgerChange): void {
    const record = change.record;
    this.options.onLedgerChange?.(change);
    if (!isDecided(record)) {
      return;
    }
    this.handled += 1;
    const words = window.accessText.t(record.state === 'enabled' ? 'queue.doneEnabled' : 'queue.doneDeclined', { name: record.agent.name });
    this.show(this.index + 1);
    this.status.textContent = words;
  }

  private finish(): void {
    const kit = window.accessKit;
    const text = window.accessText;
    const skipped = this.requests.length - this.handled;
    this.setTitle(null);
    this.body.replaceChildren(
      this.status,
      kit.el('div', { className: 'queue-done', attrs: { 'data-skipped': String(skipped) } }, [
        kit.el('p', { className: 'queue-done-title', text: text.t(skipped === 0 ? 'queue.allHandled' : 'queue.end') }),
        kit.el('p', { className: 'hint', text: skipped === 0 ? text.count('queue.handledCount', this.handled) : text.count('queue.skippedCount', skipped) }),
      ]),
    );
    const close = this.closeButton('primary');
    this.options.footer.replaceChildren(kit.el('span', { className: 'footer-gap' }), close);
    kit.focusControl(close);
  }
}

function mountQueue(body: HTMLElement, options: QueueOptions): void {
  new PendingQueue(body, { ...options }).start().catch(window.accessKit.reportQuietly);
}

window.accessQueue = { mount: mountQueue };
