/**
 * The shell page's side of the bridge: answers the client library of each app iframe, and
 * draws what the app asks for (notifications, confirm dialogs, modals, iframe heights), the
 * way the Freshservice page around an app does. Requests that need the server go to the
 * shell origin's own /_shell/api routes; the API key stays there.
 */
(() => {
  interface ShellContext {
    appOrigin: string;
    loggedInUser: unknown;
    requester: unknown;
    currentHost: unknown;
  }

  interface AppFrame {
    element: HTMLIFrameElement;
    placeholder: string;
    modalData: unknown;
    close: (() => void) | null;
    /** The frame that opened this modal (what `instance.send` reaches); null for a placeholder. */
    opener: AppFrame | null;
  }

  interface Failure {
    status: number;
    message: string;
  }

  const MAX_HEIGHT = 700;
  const NOTIFY_TYPES = ['success', 'info', 'warning', 'danger', 'alert'];
  const context = JSON.parse(document.body.dataset['runtime'] ?? '{}') as ShellContext;
  const frames: AppFrame[] = [];

  function fail(status: number, message: string): Failure {
    return { status, message };
  }

  function frameOf(source: MessageEventSource | null): AppFrame | undefined {
    return frames.find((frame) => frame.element.contentWindow === source);
  }

  function post(frame: AppFrame, message: RuntimeReplyMessage | RuntimeEventMessage | RuntimeReceiveMessage): void {
    frame.element.contentWindow?.postMessage(message, context.appOrigin);
  }

  function activate(frame: AppFrame): void {
    post(frame, { fdkRuntime: 'event', name: 'app.activated' });
  }

  async function serverCall(route: string, body: unknown): Promise<unknown> {
    const response = await fetch(`/_shell/api/${route}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { ok: boolean; body: unknown };
    if (!answer.ok) {
      throw answer.body;
    }
    return answer.body;
  }

  function asOptions(value: unknown): Record<string, unknown> {
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  }

  function dataGet(frame: AppFrame, name: unknown): unknown {
    if (name === 'loggedInUser') {
      return { loggedInUser: context.loggedInUser };
    }
    if (name === 'currentHost') {
      return { currentHost: context.currentHost };
    }
    if (name === 'requester' && frame.placeholder === 'contact_sidebar' && context.requester !== null) {
      return { requester: context.requester };
    }
    throw fail(400, `${String(name)} is not available in the ${frame.placeholder} placeholder`);
  }

  async function iparamsGet(name: unknown): Promise<unknown> {
    const known = (await serverCall('iparams', {})) as { values: Record<string, unknown>; secure: string[] };
    if (name === undefined) {
      return known.values;
    }
    if (typeof name === 'string' && known.secure.includes(name)) {
      throw fail(403, `${name} is a secure installation parameter: it is available only to server methods`);
    }
    if (typeof name !== 'string' || !(name in known.values)) {
      throw fail(404, `No installation parameter named ${String(name)}`);
    }
    return { [name]: known.values[name] };
  }

  function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
    const created = document.createElement(tag);
    created.className = className;
    if (text !== undefined) {
      created.textContent = text;
    }
    return created;
  }

  /**
   * A text option of an interface action. Freshworks' interface-method docs: a title is cut at 30
   * characters and a message at 100 ("value is truncated"), a missing mandatory message is an error.
   */
  function textOption(options: Record<string, unknown>, field: string, limit: number, fallback?: string): string {
    const value = options[field] ?? fallback;
    if (typeof value !== 'string' || value.length === 0) {
      throw fail(400, `${field} must be a non-empty string`);
    }
    return value.slice(0, limit);
  }

  /** showConfirm's button labels: "Max characters: 11", with no word of truncation, so longer ones are refused. */
  function labelOption(options: Record<string, unknown>, field: string, fallback: string): string {
    const value = options[field] ?? fallback;
    if (typeof value !== 'string' || value.length === 0 || value.length > 11) {
      throw fail(400, `${field} must be a string of 1 to 11 characters`);
    }
    return value;
  }

  function showNotify(options: Record<string, unknown>): unknown {
    if (typeof options['type'] !== 'string' || !NOTIFY_TYPES.includes(options['type'])) {
      throw fail(400, `type must be one of ${NOTIFY_TYPES.join(', ')}`);
    }
    const title = options['title'] === undefined ? undefined : textOption(options, 'title', 30);
    const message = textOption(options, 'message', 100);
    const note = element('div', `notify notify-${options['type']}`);
    note.setAttribute('role', 'status');
    if (title !== undefined) {
      note.append(element('strong', 'notify-title', title));
    }
    note.append(element('span', 'notify-message', message));
    const dismiss = element('button', 'notify-close', '×');
    dismiss.setAttribute('aria-label', 'Dismiss');
    dismiss.addEventListener('click', () => note.remove());
    note.append(dismiss);
    document.getElementById('notifications')?.append(note);
    return { message: 'notification shown' };
  }

  function overlay(title: string): { layer: HTMLDivElement; dialog: HTMLDivElement } {
    const layer = element('div', 'overlay');
    const dialog = element('div', 'dialog');
    dialog.setAttribute('role', 'dialog');
    dialog.append(element('h2', 'dialog-title', title));
    layer.append(dialog);
    document.body.append(layer);
    return { layer, dialog };
  }

  function confirmButton(label: string, primary: boolean, choose: (label: string) => void): HTMLButtonElement {
    const button = element('button', primary ? 'button button-primary' : 'button', label);
    button.addEventListener('click', () => choose(label));
    return button;
  }

  function showConfirm(options: Record<string, unknown>): Promise<unknown> {
    const title = textOption(options, 'title', 30, 'Confirm');
    const message = textOption(options, 'message', 100);
    const saveLabel = labelOption(options, 'saveLabel', 'Save');
    const cancelLabel = labelOption(options, 'cancelLabel', 'Cancel');
    const { layer, dialog } = overlay(title);
    dialog.classList.add('confirm');
    dialog.append(element('p', 'dialog-message', message));
    return new Promise((resolve) => {
      const choose = (label: string): void => {
        layer.remove();
        resolve({ message: label });
      };
      const actions = element('div', 'dialog-actions');
      actions.append(confirmButton(cancelLabel, false, choose), confirmButton(saveLabel, true, choose));
      dialog.append(actions);
    });
  }

  function appPageUrl(template: unknown): string {
    if (typeof template !== 'string' || !/^[\w][\w./-]*\.html$/.test(template) || template.includes('..')) {
      throw fail(400, 'template must be the path of an HTML page of this app, relative to app/');
    }
    return `${context.appOrigin}/app/${template}`;
  }

  function showModal(opener: AppFrame, options: Record<string, unknown>): unknown {
    // "title is optional. Max characters: 30; value is truncated beyond 30. Default value: Modal dialog."
    const title = textOption(options, 'title', 30, 'Modal dialog');
    const url = appPageUrl(options['template']);
    const { layer, dialog } = overlay(title);
    dialog.classList.add('modal');
    const frameElement = element('iframe', 'app-frame modal-frame');
    frameElement.id = 'app-modal';
    frameElement.src = url;
    const frame: AppFrame = { element: frameElement, placeholder: 'modal', modalData: options['data'] ?? null, close: null, opener };
    const closeButton = element('button', 'dialog-close', '×');
    closeButton.setAttribute('aria-label', 'Close');
    frame.close = () => {
      layer.remove();
      frames.splice(frames.indexOf(frame), 1);
    };
    closeButton.addEventListener('click', () => frame.close?.());
    dialog.prepend(closeButton);
    dialog.append(frameElement);
    frames.push(frame);
    return { message: 'modal opened' };
  }

  function trigger(frame: AppFrame, action: unknown, options: unknown): unknown {
    const checked = asOptions(options);
    if (action === 'showNotify') {
      return showNotify(checked);
    }
    if (action === 'showConfirm') {
      return showConfirm(checked);
    }
    if (action === 'showModal') {
      return showModal(frame, checked);
    }
    throw fail(400, `${String(action)} is not an interface action this page supports`);
  }

  /** Freshworks' instance-method docs and samples pass a CSS length in pixels: `{ height: "400px" }`, at most 700px. */
  const PIXELS = /^(\d+(?:\.\d+)?)px$/;

  function resize(frame: AppFrame, size: unknown): unknown {
    const height = asOptions(size)['height'];
    const pixels = typeof height === 'string' ? Number(PIXELS.exec(height.trim())?.[1]) : NaN;
    if (!(pixels > 0)) {
      throw fail(400, 'height must be a CSS length in pixels, such as "400px"');
    }
    const applied = Math.min(Math.round(pixels), MAX_HEIGHT);
    frame.element.style.height = `${applied}px`;
    return { height: `${applied}px` };
  }

  /**
   * `client.instance.send({ message })` from a modal reaches the instance that opened it, whose
   * `client.instance.receive` callback reads `event.helper.getData()` as `{ sender, message }`
   * (Freshworks' instance-method docs and sample IMS). Sending to other placeholders by instance
   * id is not reproduced: the runtime refuses a send from anything but a modal.
   */
  function send(frame: AppFrame, options: unknown): unknown {
    const message = asOptions(options)['message'];
    if (message === undefined) {
      throw fail(400, 'message is mandatory');
    }
    const receiver = frame.opener;
    if (receiver === null || !frames.includes(receiver)) {
      throw fail(400, 'Only a modal can send here, to the instance that opened it');
    }
    post(receiver, { fdkRuntime: 'receive', data: { sender: { location: frame.placeholder }, message } });
    return { message: 'sent' };
  }

  function closeInstance(frame: AppFrame): unknown {
    if (frame.close === null) {
      throw fail(400, 'Only a modal can be closed');
    }
    return { message: 'closed' };
  }

  const methods: Record<string, (frame: AppFrame, args: unknown[]) => unknown> = {
    init: () => ({ ready: true }),
    'data.get': (frame, args) => dataGet(frame, args[0]),
    'iparams.get': (_frame, args) => iparamsGet(args[0]),
    'request.invoke': (_frame, args) => serverCall('invoke', { name: args[0], payload: args[1] }),
    'request.invokeTemplate': (_frame, args) => serverCall('template', { name: args[0], options: args[1] }),
    'interface.trigger': (frame, args) => trigger(frame, args[0], args[1]),
    'instance.resize': (frame, args) => resize(frame, args[0]),
    'instance.context': (frame) => ({ location: frame.placeholder, data: frame.modalData }),
    'instance.close': (frame) => closeInstance(frame),
    'instance.send': (frame, args) => send(frame, args[0]),
    'db.set': (_frame, args) => serverCall('db', { operation: 'set', args }),
    'db.get': (_frame, args) => serverCall('db', { operation: 'get', args }),
    'db.update': (_frame, args) => serverCall('db', { operation: 'update', args }),
    'db.delete': (_frame, args) => serverCall('db', { operation: 'delete', args }),
  };

  async function answer(frame: AppFrame, request: RuntimeRequestMessage): Promise<void> {
    const method = methods[request.method];
    try {
      if (method === undefined) {
        throw fail(400, `${request.method} is not supported`);
      }
      const value = await method(frame, request.args);
      post(frame, { fdkRuntime: 'reply', id: request.id, ok: true, value });
    } catch (error) {
      post(frame, { fdkRuntime: 'reply', id: request.id, ok: false, value: error });
    }
    if (request.method === 'init') {
      activate(frame);
    }
    // The modal goes away only after its close() call has been answered.
    if (request.method === 'instance.close') {
      frame.close?.();
    }
  }

  function isRequest(data: unknown): data is RuntimeRequestMessage {
    const candidate = asOptions(data);
    return candidate['fdkRuntime'] === 'request' && typeof candidate['id'] === 'number' && typeof candidate['method'] === 'string' && Array.isArray(candidate['args']);
  }

  window.addEventListener('message', (event: MessageEvent) => {
    // Only the app origin, and only from an iframe this page placed, may ask anything.
    const frame = frameOf(event.source);
    if (event.origin !== context.appOrigin || frame === undefined || !isRequest(event.data)) {
      return;
    }
    void answer(frame, event.data);
  });

  function registerPlaceholders(): void {
    document.querySelectorAll<HTMLIFrameElement>('iframe[data-placeholder]').forEach((frameElement) => {
      frames.push({ element: frameElement, placeholder: frameElement.dataset['placeholder'] ?? '', modalData: null, close: null, opener: null });
    });
  }

  function wireReopen(): void {
    // Opening a placeholder again (the nav entry, or expanding the sidebar card) fires app.activated again.
    document.querySelectorAll<HTMLElement>('[data-activates]').forEach((trigger) => {
      trigger.addEventListener('click', (event) => {
        const frame = frames.find((candidate) => candidate.placeholder === trigger.dataset['activates']);
        if (frame === undefined) {
          return;
        }
        event.preventDefault();
        const panel = frame.element.closest('.app-card');
        const opening = panel === null || panel.classList.toggle('open');
        if (opening) {
          activate(frame);
        }
      });
    });
  }

  function wireSwitcher(): void {
    const switcher = document.getElementById('signed-in-as');
    switcher?.addEventListener('change', () => {
      const url = new URL(window.location.href);
      url.searchParams.set('as', (switcher as HTMLSelectElement).value);
      window.location.assign(url.toString());
    });
  }

  registerPlaceholders();
  wireReopen();
  wireSwitcher();
})();
