/**
 * A QrisError together with the payload text it is about. Commands throw it (through `aboutPayload`)
 * so the report in run.ts can point a caret at the offset; no shared field has to be set first.
 */
import { isQrisError, type QrisError } from '../errors.js';

export class PayloadError extends Error {
  override readonly name = 'PayloadError';
  constructor(
    readonly error: QrisError,
    /** The payload `error.offset` counts into. */
    readonly text: string,
  ) {
    super(error.message, { cause: error });
  }
}

/** Runs `work`; a QrisError it throws comes out as a PayloadError about `text`. */
export function aboutPayload<T>(text: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    throw isQrisError(e) ? new PayloadError(e, text) : e;
  }
}

/** `aboutPayload` for asynchronous work. */
export async function aboutPayloadAsync<T>(text: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw isQrisError(e) ? new PayloadError(e, text) : e;
  }
}

/** The QrisError behind `e`, unwrapping a PayloadError. */
export function qrisErrorOf(e: unknown): QrisError | undefined {
  if (e instanceof PayloadError) return e.error;
  return isQrisError(e) ? e : undefined;
}
