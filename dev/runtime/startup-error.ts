/** A problem that stops the runtime from starting; the message says what to do about it. */
export class RuntimeStartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeStartupError';
  }
}
