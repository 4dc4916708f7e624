import type { AppErrorBody, ErrorCode } from '../../common/errors';

/** An error a server method answers with: a code the widget switches on, and a message for an admin. */
export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, code: ErrorCode, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  toBody(): AppErrorBody {
    const body: AppErrorBody = { status: this.status, message: this.message, code: this.code };
    if (this.retryAfterSeconds !== undefined) {
      body.retryAfterSeconds = this.retryAfterSeconds;
    }
    return body;
  }
}

/** The numeric `status` of anything thrown (FDK's rejections, AppError), if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

const UNEXPECTED_MESSAGE =
  'Something unexpected went wrong in the app. Try again; if it keeps happening, contact the app developer.';

/** Turns anything thrown into the body `renderData` answers with; unknown errors never leak their text. */
export function toErrorBody(error: unknown): AppErrorBody {
  if (error instanceof AppError) {
    return error.toBody();
  }
  return { status: 500, message: UNEXPECTED_MESSAGE, code: 'INTERNAL' };
}
