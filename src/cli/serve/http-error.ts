/**
 * Errors the server answers with, in the BAYAR GG shape `{ success: false, error, code, message }`:
 * `error` is the human sentence (what BAYAR GG puts there, so a BAYAR-style client shows it to its
 * user as is), `code` the stable code to branch on, `message` the same sentence again (some clients
 * read `message`). Offsets and tag paths come along for payload errors.
 */
import { isQrisError } from '../../errors.js';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export interface ErrorBody {
  success: false;
  /** What is wrong, in a sentence (BAYAR GG's own field for it). */
  error: string;
  /** The stable code, e.g. `IMAGE_NO_QR`, `CRC_MISMATCH`, `MISSING_NOMINAL`. */
  code: string;
  /** The sentence of `error` again, for clients that read `message`. */
  message: string;
  offset?: number;
  tag?: string;
  /** IMAGE_MULTIPLE_CODES: the payment codes found in the picture, none of which was used. */
  candidates?: readonly string[];
}

export interface ErrorResponse {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers: Readonly<Record<string, string>>;
  /** True for errors that are bugs or crashes (logged with their stack). */
  readonly unexpected: boolean;
}

/** Status for each QrisError code that is not a plain 400. */
const QRIS_STATUS: Readonly<Record<string, number>> = {
  IMAGE_TOO_LARGE: 413,
  // A well-formed image whose content the server will not choose from (a second sticker).
  IMAGE_MULTIPLE_CODES: 422,
  FETCH_FAILED: 502,
};

/** Maps anything thrown by a handler to the response to send. Unknown errors become a bare 500. */
export function toErrorResponse(e: unknown): ErrorResponse {
  if (e instanceof HttpError) {
    return { status: e.status, body: errorBody(e.code, e.message), headers: e.headers, unexpected: false };
  }
  if (isQrisError(e)) {
    const body = errorBody(e.code, apiWording(e.message));
    if (e.offset !== undefined) body.offset = e.offset;
    if (e.tag !== undefined) body.tag = e.tag;
    if (e.candidates !== undefined) body.candidates = e.candidates;
    return { status: QRIS_STATUS[e.code] ?? 400, body, headers: {}, unexpected: false };
  }
  // Never echo an unexpected error's message: it may hold paths or internals.
  return { status: 500, body: errorBody('INTERNAL_ERROR', 'The server failed to handle the request.'), headers: {}, unexpected: true };
}

/**
 * The library's messages name its options where a library caller can act on them ("the limit
 * (maxBytes) is ...", "pass { all: true }"). An API caller cannot set those: the server's answer
 * says the same without them.
 */
const LIBRARY_OPTION_WORDS: readonly (readonly [RegExp, string])[] = [
  [/ To read all of them on purpose, pass \{ all: true \}\./g, ''],
  [/ \((?:maxBytes|maxPixels|maxDecodedBytes)\)/g, ''],
  [/ \((?:maxPixels|timeBudgetMs) \d+\)/g, ''],
  [/ \(set allowPrivateAddresses to reach one\)/g, ''],
  [/ \(engine 'accelerated'\)/g, ''],
];

export function apiWording(message: string): string {
  let out = message;
  for (const [pattern, replacement] of LIBRARY_OPTION_WORDS) out = out.replace(pattern, replacement);
  return out;
}

function errorBody(code: string, message: string): ErrorBody {
  return { success: false, error: message, code, message };
}
