/**
 * Defensive reading of BAYAR GG responses. What we have seen or been told: the body may be flat or
 * nested under `data`; the converted code may be called `qris`, `converted_qris` or `qris_string`;
 * errors come as `{ success: false, error }` or `{ success: false, message }`, sometimes with HTTP 200.
 * Nothing here trusts a type: every field is checked before use.
 */
import { quote } from '../errors.js';
import { RemoteError } from './errors.js';
import { redactCut, redactDeep, type Redactor } from './redact.js';
import { parseRetryAfter } from './retry.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Containers to look into, innermost first: `data`, `result`, then the body itself. */
function containers(body: Obj): Obj[] {
  const out: Obj[] = [];
  for (const key of ['data', 'result'] as const) {
    const inner = body[key];
    if (isObj(inner)) {
      if (isObj(inner['data'])) out.push(inner['data']);
      out.push(inner);
    }
  }
  out.push(body);
  return out;
}

/** Parses JSON without throwing; `undefined` for anything that is not JSON. */
export function parseJson(text: string): unknown {
  // Some PHP endpoints prepend a BOM or whitespace.
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (t.trim() === '') return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

/** Longest server message kept in `serverMessage`; messages quote at most 40 characters of it. */
export const SERVER_MESSAGE_MAX = 200;
/** Longest server code kept in `code`. */
export const SERVER_CODE_MAX = 40;

function textOf(v: unknown, depth = 0): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (isObj(v) && depth < 4) return textOf(v['message'], depth + 1) ?? textOf(v['error'], depth + 1);
  return undefined;
}

/**
 * `{ error: 'IMAGE_NO_QR', message: '...' }`: a code in `error` with the sentence in `message`, the
 * envelope of `qris serve` before 0.2 (BAYAR GG itself puts the sentence in `error`).
 */
function legacyCodeIn(c: Obj): string | undefined {
  const e = c['error'];
  if (typeof e !== 'string' || !/^[A-Z][A-Z0-9_]{2,39}$/.test(e)) return undefined;
  const m = textOf(c['message']);
  return m === undefined || m === e ? undefined : e;
}

/** The server's explanation (`error`, then `message`), if it gave one: whole, not yet redacted. */
export function serverMessageOf(body: unknown): string | undefined {
  if (!isObj(body)) return undefined;
  for (const c of containers(body)) {
    if (legacyCodeIn(c) !== undefined) return textOf(c['message']);
    const m = textOf(c['error']) ?? textOf(c['message']) ?? textOf(c['msg']);
    if (m !== undefined) return m;
  }
  return undefined;
}

/**
 * The server's machine-readable error code (`code`, `error_code`; `qris serve` sends `code` beside
 * the sentence in `error`), if any: whole, not yet redacted.
 */
export function serverCodeOf(body: unknown): string | undefined {
  if (!isObj(body)) return undefined;
  for (const c of containers(body)) {
    for (const key of ['error_code', 'code'] as const) {
      const v = c[key];
      if (typeof v === 'string' && v.trim() !== '') return v.trim();
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    }
    const legacy = legacyCodeIn(c);
    if (legacy !== undefined) return legacy;
    const err = c['error'];
    if (isObj(err)) {
      for (const key of ['code', 'error_code'] as const) {
        const v = err[key];
        if (typeof v === 'string' && v.trim() !== '') return v.trim();
        if (typeof v === 'number' && Number.isFinite(v)) return String(v);
      }
    }
  }
  return undefined;
}

function isFalse(v: unknown): boolean {
  return v === false || v === 0 || v === 'false' || v === '0';
}

/** Whether the body declares failure: `success: false` (at the root or in `data`) or `status: "error"`. */
export function declaresFailure(body: unknown): boolean {
  if (!isObj(body)) return false;
  for (const c of containers(body)) {
    if (isFalse(c['success'])) return true;
    const status = c['status'];
    if (status === false || status === 'error' || status === 'failed' || status === 'fail') return true;
  }
  return false;
}

/** Names the converted code goes by, most specific first (a bare `qris` may echo the input). */
const PAYLOAD_KEYS = ['converted_qris', 'qris_string', 'qris'] as const;

/** The converted payload, wherever the server put it; `undefined` when there is none. */
export function payloadFromBody(body: unknown): string | undefined {
  if (!isObj(body)) return undefined;
  const cs = containers(body);
  for (const key of PAYLOAD_KEYS) {
    for (const c of cs) {
      const v = c[key];
      if (typeof v === 'string' && v.trim() !== '') return v.trim();
    }
  }
  const data = body['data'];
  if (typeof data === 'string' && data.trim().startsWith('000201')) return data.trim();
  return undefined;
}

/** The informational fields of a `qris-info` answer: `data` when nested, else the flat body. */
export function infoOf(body: unknown): Record<string, unknown> | undefined {
  if (!isObj(body)) return undefined;
  const data = body['data'];
  if (isObj(data)) return data;
  const out: Obj = {};
  for (const k of Object.keys(body)) if (k !== 'success' && k !== 'status' && k !== 'message') out[k] = body[k];
  return out;
}

export interface HttpResult {
  readonly status: number;
  readonly retryAfter: string | null;
  /** Length of the body in characters. */
  readonly length: number;
}

/**
 * Turns an HTTP answer into a failure, or `undefined` when the body is a successful JSON object.
 * Everything the server said is redacted (before it is cut) and quoted at most 40 characters long.
 */
export function failureOf(res: HttpResult, raw: unknown, redactor: Redactor): RemoteError | undefined {
  // The whole body first: a key cut into pieces over `error`, `message` and `code` is caught there.
  const body = typeof raw === 'object' && raw !== null ? redactDeep(raw, redactor) : raw;
  const said = serverMessageOf(body);
  const serverMessage = said === undefined ? undefined : redactCut(said, redactor, SERVER_MESSAGE_MAX);
  const rawCode = serverCodeOf(body);
  const code = rawCode === undefined ? undefined : redactCut(rawCode, redactor, SERVER_CODE_MAX);
  const extra = {
    status: res.status,
    ...(code === undefined ? {} : { code }),
    ...(serverMessage === undefined ? {} : { serverMessage }),
  };
  const tail = serverMessage === undefined ? '' : `: ${quote(serverMessage)}`;
  const s = res.status;
  if (s === 401 || s === 403) {
    return new RemoteError('auth', `BAYAR GG refused the API key (HTTP ${s})${tail}`, extra);
  }
  if (s === 429) {
    const retryAfterMs = parseRetryAfter(res.retryAfter);
    return new RemoteError('rate_limit', `BAYAR GG rate limit reached (HTTP 429)${tail}`, retryAfterMs === undefined ? extra : { ...extra, retryAfterMs });
  }
  if (s >= 500) return new RemoteError('server', `BAYAR GG server error (HTTP ${s})${tail}`, extra);
  if (s < 200 || s >= 300) return new RemoteError('rejected', `BAYAR GG rejected the request (HTTP ${s})${tail}`, extra);
  if (body === undefined) {
    return new RemoteError('unreadable', `BAYAR GG answered HTTP ${s} with a body that is not JSON (${res.length} characters).`, extra);
  }
  if (!isObj(body)) return new RemoteError('unreadable', `BAYAR GG answered HTTP ${s} with JSON that is not an object.`, extra);
  if (declaresFailure(body)) return new RemoteError('rejected', `BAYAR GG declined the request${tail || ' (success: false)'}`, extra);
  return undefined;
}
