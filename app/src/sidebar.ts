/*
 * contact_sidebar on Freshservice's user page: mounts the access view for the viewed user and
 * keeps the iframe as tall as its content (the platform caps it at 700 px).
 */

const SIDEBAR_MAX_HEIGHT = 700;

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

async function showSidebar(client: FdkClient, root: HTMLElement): Promise<void> {
  const kit = window.accessKit;
  root.replaceChildren(kit.skeleton(6, 'Reading access from Freshservice…'));
  const [loggedIn, viewed, host] = await Promise.all([client.data.get('loggedInUser'), client.data.get('requester'), client.data.get('currentHost')]);
  const viewer = kit.readPerson(loggedIn, 'loggedInUser');
  const viewedPerson = kit.readPerson(viewed, 'requester');
  if (viewer === null || viewedPerson === null) {
    const message = 'Freshservice did not say who is signed in or which user this page shows. Reload the page.';
    root.replaceChildren(kit.errorPanel({ status: 400, message, code: null }, () => bootSidebarQuietly(client)));
    return;
  }
  window.accessView.mount(root, { client, viewer, viewedId: viewedPerson.id, viewedName: viewedPerson.name, viewedEmail: viewedPerson.email, host: kit.readHostUrl(host) });
}

function bootSidebarQuietly(client: FdkClient): void {
  const root = sidebarRoot();
  showSidebar(client, root).catch((error: unknown) => {
    root.replaceChildren(window.accessKit.errorPanel(window.accessKit.toWidgetError(error), () => bootSidebarQuietly(client)));
  });
}

async function startSidebar(): Promise<void> {
  const client = await app.initialized();
  followContentHeight(client);
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
