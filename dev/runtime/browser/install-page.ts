/**
 * The /custom_configs page's stand-in for FDK's dynamic installation page: it gives
 * config/assets/iparams.js what FDK gives it (`app.initialized()` with `client.request.invokeTemplate`,
 * and `utils.get` / `utils.set` over the form's fields), calls each field's change callbacks by
 * name, and shows their verdicts under the field.
 *
 * A callback's answer is read the way FDK's samples use it: a returned non-empty string or a
 * rejected promise means invalid (with that message); '', undefined, or a promise that resolves
 * (whatever it resolves with) means valid. Only the newest call per field counts, and the form
 * is never submitted while a field is invalid or still being checked.
 *
 * Loaded before config/assets/iparams.js, on the shell origin; template requests go through the
 * shell's /_shell/api/install-template route, so the engine renders and sends them with FDK's
 * rules for installation-page requests (context may fill host and headers).
 */
(() => {
  type FieldState = 'valid' | 'invalid' | 'checking';

  interface Field {
    name: string;
    element: HTMLInputElement | HTMLSelectElement;
    callbacks: string[];
    state: FieldState;
    latestCall: number;
  }

  const INVALID_FALLBACK = 'This value is not valid.';
  const form = document.querySelector<HTMLFormElement>('form.iparams');
  const saveButton = document.getElementById('save-iparams') as HTMLButtonElement | null;
  const saveNote = document.getElementById('save-note');
  const fields = new Map<string, Field>();

  async function invokeTemplate(name: unknown, options: unknown): Promise<unknown> {
    // The installation page's own route: FDK lets its templates use context in host and headers.
    const response = await fetch('/_shell/api/install-template', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, options: options ?? {} }),
    });
    const answer = (await response.json()) as { ok: boolean; body: unknown };
    if (!answer.ok) {
      throw answer.body;
    }
    return answer.body;
  }

  const client = Object.freeze({ request: Object.freeze({ invokeTemplate }) });

  function valueOf(field: Field): unknown {
    const element = field.element;
    if (element instanceof HTMLSelectElement && element.multiple) {
      return Array.from(element.selectedOptions, (option) => option.value);
    }
    if (element instanceof HTMLInputElement && element.type === 'checkbox') {
      return element.checked;
    }
    return element.value;
  }

  function hintOf(name: string): HTMLElement | null {
    return document.getElementById(`iparam-hint-${name}`);
  }

  /** The parts of FDK's `utils` an install page commonly uses: read a field, set its value or hint. */
  const utils = Object.freeze({
    get: (name: string): unknown => {
      const field = fields.get(name);
      return field === undefined ? undefined : valueOf(field);
    },
    set: (name: string, options: { value?: unknown; hint?: string }): void => {
      const field = fields.get(name);
      if (field !== undefined && options.value !== undefined) {
        field.element.value = String(options.value);
      }
      const hint = hintOf(name);
      if (hint !== null && typeof options.hint === 'string') {
        hint.textContent = options.hint;
      }
    },
  });

  function messageOf(reason: unknown): string {
    if (typeof reason === 'string' && reason !== '') {
      return reason;
    }
    if (typeof reason === 'object' && reason !== null && typeof (reason as { message?: unknown }).message === 'string') {
      return (reason as { message: string }).message || INVALID_FALLBACK;
    }
    return INVALID_FALLBACK;
  }

  function isThenable(value: unknown): value is PromiseLike<unknown> {
    return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
  }

  /** '' when the callback's answer means valid, else the message to show. */
  async function verdictOf(callbackName: string, value: unknown): Promise<string> {
    const callback = (window as unknown as Record<string, unknown>)[callbackName];
    if (typeof callback !== 'function') {
      return `The change callback ${callbackName} is not defined in config/assets/iparams.js.`;
    }
    try {
      const answer: unknown = callback(value);
      if (isThenable(answer)) {
        await answer;
        return '';
      }
      return typeof answer === 'string' ? answer : '';
    } catch (reason) {
      return messageOf(reason);
    }
  }

  function states(): FieldState[] {
    return [...fields.values()].map((field) => field.state);
  }

  function saveBlocked(): boolean {
    return states().some((state) => state !== 'valid');
  }

  function refreshSave(): void {
    if (saveButton !== null) {
      saveButton.disabled = saveBlocked();
    }
    if (saveNote !== null) {
      const now = states();
      saveNote.textContent = now.includes('invalid') ? 'Fix the fields marked in red to save.' : now.includes('checking') ? 'Checking…' : '';
    }
  }

  function show(field: Field, message: string): void {
    field.state = message === '' ? 'valid' : 'invalid';
    field.element.setAttribute('aria-invalid', String(message !== ''));
    const error = document.getElementById(`iparam-error-${field.name}`);
    if (error !== null) {
      error.textContent = message;
      error.hidden = message === '';
    }
    refreshSave();
  }

  async function runCallbacks(field: Field): Promise<void> {
    field.latestCall += 1;
    const call = field.latestCall;
    field.state = 'checking';
    refreshSave();
    const value = valueOf(field);
    const messages = await Promise.all(field.callbacks.map((name) => verdictOf(name, value)));
    // An older call that answers late must not overwrite the newest one.
    if (call === field.latestCall) {
      show(field, messages.find((message) => message !== '') ?? '');
    }
  }

  function register(element: HTMLInputElement | HTMLSelectElement): void {
    const callbacks = (element.dataset['change'] ?? '').split(' ').filter((name) => name !== '');
    const field: Field = { name: element.name, element, callbacks, state: 'valid', latestCall: 0 };
    fields.set(field.name, field);
    if (callbacks.length === 0) {
      return;
    }
    // FDK fires the change event on every keystroke for text, on each choice for the others.
    const eventName = element instanceof HTMLInputElement && !['checkbox', 'radio'].includes(element.type) ? 'input' : 'change';
    element.addEventListener(eventName, () => {
      void runCallbacks(field);
    });
  }

  form?.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[name], select[name]').forEach(register);
  form?.addEventListener('submit', (event) => {
    // Never save while a field is invalid or its check has not answered yet.
    if (saveBlocked()) {
      event.preventDefault();
    }
  });

  Object.defineProperty(window, 'app', { value: Object.freeze({ initialized: () => Promise.resolve(client) }), enumerable: true });
  Object.defineProperty(window, 'utils', { value: utils, enumerable: true });
  // FDK calls the page's onFormLoad once the form is ready (freshworks/marketplace-sample-apps,
  // Omni-App-Samples/iparams-json-omni-app/config/assets/iparams.js): after iparams.js has loaded.
  window.addEventListener('load', () => {
    const onFormLoad = (window as unknown as { onFormLoad?: unknown }).onFormLoad;
    if (typeof onFormLoad === 'function') {
      (onFormLoad as () => void)();
    }
  });
})();
