/**
 * The client library an app page loads through `{{{appclient}}}`: `app.initialized()` and the
 * `client` object of FDK's front-end API. Every call is a postMessage to the shell (the parent
 * page, another origin), which answers it; nothing here can reach the shell's globals.
 * The host replaces the origin placeholder below when it serves this file.
 */
(() => {
  const SHELL_ORIGIN = '__FDK_RUNTIME_SHELL_ORIGIN__';

  type Settle = { resolve: (value: unknown) => void; reject: (reason: unknown) => void };
  type Handler = (event?: unknown) => void;

  const pending = new Map<number, Settle>();
  const handlers = new Map<string, Handler[]>();
  const receivers: ((event: { helper: { getData(): unknown } }) => void)[] = [];
  let nextId = 1;
  let activated = false;

  function call(method: string, ...args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = nextId;
      nextId += 1;
      pending.set(id, { resolve, reject });
      const message: RuntimeRequestMessage = { fdkRuntime: 'request', id, method, args };
      try {
        window.parent.postMessage(message, SHELL_ORIGIN);
      } catch (error) {
        pending.delete(id);
        reject({ status: 400, message: `The arguments of ${method} cannot be sent: ${String(error)}` });
      }
    });
  }

  function settle(reply: RuntimeReplyMessage): void {
    const waiting = pending.get(reply.id);
    if (waiting === undefined) {
      return;
    }
    pending.delete(reply.id);
    if (reply.ok) {
      waiting.resolve(reply.value);
    } else {
      waiting.reject(reply.value);
    }
  }

  function emit(name: string): void {
    if (name === 'app.activated') {
      activated = true;
    }
    for (const handler of handlers.get(name) ?? []) {
      handler();
    }
  }

  function isRuntimeMessage(data: unknown): data is RuntimeMessage {
    return typeof data === 'object' && data !== null && 'fdkRuntime' in data;
  }

  window.addEventListener('message', (event: MessageEvent) => {
    // Only the shell that embeds this page may answer or raise events.
    if (event.origin !== SHELL_ORIGIN || event.source !== window.parent || !isRuntimeMessage(event.data)) {
      return;
    }
    if (event.data.fdkRuntime === 'reply') {
      settle(event.data);
    } else if (event.data.fdkRuntime === 'event') {
      emit(event.data.name);
    } else if (event.data.fdkRuntime === 'receive') {
      const data = event.data.data;
      receivers.forEach((receive) => receive({ helper: { getData: () => data } }));
    }
  });

  function on(name: string, handler: Handler): void {
    handlers.set(name, [...(handlers.get(name) ?? []), handler]);
    // A handler registered after the placeholder opened still hears about that opening.
    if (name === 'app.activated' && activated) {
      queueMicrotask(() => handler());
    }
  }

  const client = {
    events: { on },
    data: { get: (name: string) => call('data.get', name) },
    iparams: { get: (name?: string) => (name === undefined ? call('iparams.get') : call('iparams.get', name)) },
    request: {
      invoke: (name: string, payload?: unknown) => call('request.invoke', name, payload ?? {}),
      invokeTemplate: (name: string, options?: unknown) => call('request.invokeTemplate', name, options ?? {}),
    },
    interface: { trigger: (action: string, options?: unknown) => call('interface.trigger', action, options ?? {}) },
    instance: {
      resize: (size: unknown) => call('instance.resize', size),
      context: () => call('instance.context'),
      close: () => call('instance.close'),
      send: (options: unknown) => call('instance.send', options),
      receive: (callback: (event: { helper: { getData(): unknown } }) => void) => {
        receivers.push(callback);
      },
    },
    db: {
      set: (key: unknown, value: unknown, options?: unknown) => call('db.set', key, value, options ?? {}),
      get: (key: unknown) => call('db.get', key),
      update: (key: unknown, action: unknown, attributes: unknown) => call('db.update', key, action, attributes),
      delete: (key: unknown) => call('db.delete', key),
    },
  };

  let initialized: Promise<typeof client> | undefined;
  function initialize(): Promise<typeof client> {
    initialized ??= call('init').then(() => client);
    return initialized;
  }

  Object.defineProperty(window, 'app', { value: Object.freeze({ initialized: initialize }), enumerable: true });
})();
