/*
 * contact_sidebar on Freshservice's user page: mounts the access view for the viewed user and
 * keeps the iframe as tall as its content (the platform caps it at 700 px). An Account Admin's
 * "requests waiting" line opens the queue in FDK's modal (queue.html), whose decisions come back
 * through client.instance.receive, so the count follows them.
 */

const SIDEBAR_MAX_HEIGHT = 700;
/** showModal's title is at most 30 characters. */
const MODAL_TITLE_MAX = 30;

let currentView: AccessViewHandle | null = null;

function sidebarRoot(): HTMLElement {
  const root = document.getElementById('app');
  if (root === null) {
    throw new Error('The sidebar page has no #app element.');
  }
  return root;
}

function followContentHeight(client: FdkClient): void {
  let lastHeight = 0;
  const resize = (): void => {
    // The body's own height, not scrollHeight: scrollHeight never drops below the current iframe height.
    const height = Math.min(SIDEBAR_MAX_HEIGHT, Math.ceil(document.body.getBoundingClientRect().height));
    if (height !== lastHeight) {
      lastHeight = height;
      Promise.resolve(client.instance.resize({ height: `${height}px` })).catch(window.accessKit.reportQuietly);
    }
  };
  new ResizeObserver(resize).observe(document.body);
  resize();
}

/** What the queue's modal sends: how the waiting count moved. */
function pendingDeltaIn(data: unknown): number {
  const message = typeof data === 'object' && data !== null ? (data as { message?: unknown }).message : null;
  const delta = typeof message === 'object' && message !== null ? (message as { pendingDelta?: unknown }).pendingDelta : null;
  return typeof delta === 'number' && Number.isInteger(delta) ? delta : 0;
}

function openQueue(client: FdkClient): void {
  const title = window.accessText.t('queue.modalTitle').slice(0, MODAL_TITLE_MAX);
  client.interface.trigger('showModal', { title, template: 'queue.html' }).catch(window.accessKit.reportQuietly);
}

async function showSidebar(client: FdkClient, root: HTMLElement): Promise<void> {
  const kit = window.accessKit;
  currentView?.dispose();
  currentView = null;
  root.replaceChildren(kit.skeleton(6, window.accessText.t('loading.access')));
  const [loggedIn, viewed, host] = await Promise.all([client.data.get('loggedInUser'), client.data.get('requester'), client.data.get('currentHost')]);
  const viewer = kit.readPerson(loggedIn, 'loggedInUser');
  const viewedPerson = kit.readPerson(viewed, 'requester');
  if (viewer === null || viewedPerson === null) {
    const message = window.accessText.t('error.noPage');
    root.replaceChildren(window.accessParts.failureView({ status: 400, message, code: null }, () => bootSidebarQuietly(client)));
    return;
  }
  currentView = window.accessView.mount(root, {
    client,
    viewer,
    viewedId: viewedPerson.id,
    viewedName: viewedPerson.name,
    viewedEmail: viewedPerson.email,
    host: kit.readHostUrl(host),
    onOpenQueue: () => openQueue(client),
  });
}

function bootSidebarQuietly(client: FdkClient): void {
  const root = sidebarRoot();
  showSidebar(client, root).catch((error: unknown) => {
    root.replaceChildren(window.accessParts.failureView(window.accessKit.toWidgetError(error), () => bootSidebarQuietly(client)));
  });
}

async function startSidebar(): Promise<void> {
  await window.accessText.ready();
  const client = await app.initialized();
  followContentHeight(client);
  client.instance.receive?.((event) => currentView?.adjustPending(pendingDeltaIn(event.helper.getData())));
  // The first activation is the page load itself, already shown: reload only on later ones.
  let activations = 0;
  client.events.on('app.activated', () => {
    activations += 1;
    if (activations > 1) {
      bootSidebarQuietly(client);
    }
  });
  bootSidebarQuietly(client);
}

startSidebar().catch(window.accessKit.reportQuietly);
