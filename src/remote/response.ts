/**
 * Defensive reading of BAYAR GG responses. What we have seen or been told: the body may be flat or
 * nested under `data`; the converted code may be called `qris`, `converted_qris` or `qris_string`;
 * errors come as `{ success: false, error }` or `{ success: false, message }`, sometimes with HTTP 200.
 * Nothing here trusts a type: every field is checked before use.
 */
import { RemoteError } from './errors.js';
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

const MESSAGE_LIMIT = 300;

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim().slice(0, MESSAGE_LIMIT);
  if (isObj(v)) return textOf(v['message']) ?? textOf(v['error']);
  return undefined;
}

/** The server's explanation (`error`, then `message`), if it gave one. */
export function serverMessageOf(body: unknown): string | undefined {
  if (!isObj(body)) return undefined;
  for (const c of containers(body)) {
    const m = textOf(c['error']) ?? textOf(c['message']) ?? textOf(c['msg']);
    if (m !== undefined) return m;
  }
  return undefined;
}

/** The server's machine-readable error code (`code`, `error_code`), if any. */
export function serverCodeOf(body: unknown): string | undefined {
  if (!isObj(body)) return undefined;
  for (const c of containers(body)) {
    for (const key of ['error_code', 'code'] as const) {
      const v = c[key];
      if (typeof v === 'string' && v !== '') return v.slice(0, 64);
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    }
    const err = c['error'];
    if (isObj(err) && (typeof err['code'] === 'string' || typeof err['code'] === 'number')) return String(err['code']).slice(0, 64);
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
export function payloadOf(body: unknown): string | undefined {
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
  readonly text: string;
}

/**
 * Turns an HTTP answer into a failure, or `undefined` when the body is a successful JSON object.
 * `secret` is redacted from anything the server said.
 */
export function failureOf(res: HttpResult, body: unknown, secret: string, redact: (t: string, s: string) => string): RemoteError | undefined {
  const said = serverMessageOf(body);
  const serverMessage = said === undefined ? undefined : redact(said, secret);
  const code = serverCodeOf(body);
  const extra = {
    status: res.status,
    ...(code === undefined ? {} : { code }),
    ...(serverMessage === undefined ? {} : { serverMessage }),
  };
  const tail = serverMessage === undefined ? '' : `: ${serverMessage}`;
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
    return new RemoteError('unreadable', `BAYAR GG answered HTTP ${s} with a body that is not JSON (${res.text.length} characters).`, extra);
  }
  if (!isObj(body)) return new RemoteError('unreadable', `BAYAR GG answered HTTP ${s} with JSON that is not an object.`, extra);
  if (declaresFailure(body)) return new RemoteError('rejected', `BAYAR GG declined the request${tail || ' (success: false)'}`, extra);
  return undefined;
}
