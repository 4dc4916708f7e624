/*
 * queue.html: the pending-request queue in FDK's modal, opened from the sidebar's "requests
 * waiting" line (client.interface.trigger('showModal')). Interface methods do not work inside a
 * modal, so notifications are skipped quietly; Close closes the modal (client.instance.close).
 * Each decision is sent to the sidebar that opened the modal (client.instance.send), so its
 * waiting count follows without a read.
 */

function queuePart(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (node === null) {
    throw new Error(`The queue page has no #${id} element.`);
  }
  return node;
}

async function startQueuePage(): Promise<void> {
  const kit = window.accessKit;
  const body = queuePart('app');
  await window.accessText.ready();
  body.replaceChildren(kit.skeleton(4, window.accessText.t('loading.pending')));
  const client = await app.initialized();
  const [loggedIn, host] = await Promise.all([client.data.get('loggedInUser'), client.data.get('currentHost')]);
  const viewer = kit.readPerson(loggedIn, 'loggedInUser');
  if (viewer === null) {
    body.replaceChildren(kit.errorPanel({ status: 400, message: window.accessText.t('error.noViewer'), code: null }, null));
    return;
  }
  const close = (): void => {
    Promise.resolve(client.instance.close?.()).catch(kit.reportQuietly);
  };
  const tellOpener = (change: LedgerChange): void => {
    if (change.pendingDelta !== 0 && client.instance.send !== undefined) {
      client.instance.send({ message: { pendingDelta: change.pendingDelta } }).catch(kit.reportQuietly);
    }
  };
  window.accessQueue.mount(body, { client, viewer, host: kit.readHostUrl(host), title: queuePart('queue-title'), titledByHost: true, footer: queuePart('queue-footer'), onClose: close, onLedgerChange: tellOpener });
}

startQueuePage().catch((error: unknown) => {
  document.getElementById('app')?.replaceChildren(window.accessKit.errorPanel(window.accessKit.toWidgetError(error), () => window.location.reload()));
});
