/**
 * Keeping the API key out of everything the client hands back. A server may echo the key in an
 * error message, a code, a nested field or even inside a payload, as written or encoded. The
 * redactor built once per client from the trimmed key replaces, case-insensitively:
 * - the key, and any run of `FRAGMENT` or more consecutive characters of it (a server that cuts
 *   or masks the middle of the key still leaks its ends);
 * - the same for its URL-encoded forms (`encodeURIComponent`, `+` for spaces), its hex, and its
 *   base64 / base64url at each of the three byte alignments it can have inside a longer base64
 *   text, over both its Latin-1 bytes (what goes on the wire) and its UTF-8 bytes.
 */

/** Shortest run of a key form that counts as a leak (the whole form when shorter). */
export const FRAGMENT = 10;

export const REDACTED = '[redacted]';

/** Deepest nesting of a server body that `redactDeep` copies; deeper values are replaced. */
const MAX_DEPTH = 32;

export interface Redactor {
  /** `text` with every run of a key form replaced by `[redacted]`. */
  (text: string): string;
  /** Whether `text` holds a run of a key form. */
  readonly finds: (text: string) => boolean;
}

/** ASCII-only lower case: keeps string indices aligned (`toLowerCase` may change lengths). */
function asciiLower(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i]!;
  }
  return out;
}

function latin1Bytes(s: string): Uint8Array | undefined {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return undefined;
    b[i] = c;
  }
  return b;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The base64 characters that depend only on `bytes` when they sit `lead` bytes (0-2) into a longer
 * byte string: the same characters appear in the base64 of any text that contains them there.
 */
function stableBase64(bytes: Uint8Array, lead: number): string {
  const all = new Uint8Array(lead + bytes.length + 2);
  all.set(bytes, lead);
  let out = '';
  const bitStart = lead * 8;
  const bitEnd = (lead + bytes.length) * 8;
  for (let j = 0; 6 * j + 6 <= all.length * 8; j++) {
    if (6 * j < bitStart || 6 * j + 6 > bitEnd) continue;
    const bit = 6 * j;
    const byte = bit >> 3;
    const word = (all[byte]! << 8) | (all[byte + 1] ?? 0);
    out += B64[(word >> (10 - (bit & 7))) & 63]!;
  }
  return out;
}

function hexOf(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

/** Every written form of the key worth catching, lower-cased. */
function formsOf(key: string): string[] {
  const forms = new Set<string>([key]);
  const uri = encodeURIComponent(key);
  forms.add(uri);
  forms.add(uri.replace(/%20/g, '+'));
  const byteForms = [latin1Bytes(key), new TextEncoder().encode(key)];
  for (const bytes of byteForms) {
    if (bytes === undefined) continue;
    forms.add(hexOf(bytes));
    for (let lead = 0; lead < 3; lead++) {
      const b64 = stableBase64(bytes, lead);
      forms.add(b64);
      forms.add(b64.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  const out: string[] = [];
  for (const f of forms) if (f.length > 0) out.push(asciiLower(f));
  return out;
}

const lowerCode = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/** A redactor for `key` (already trimmed). */
export function createRedactor(key: string): Redactor {
  // Window length -> every window of that length of every form; and the first two characters of
  // any window, so most positions of a long text are passed over without building a string.
  const windows = new Map<number, Set<string>>();
  const starts = new Set<number>();
  for (const form of formsOf(key)) {
    const w = Math.min(form.length, FRAGMENT);
    let set = windows.get(w);
    if (set === undefined) windows.set(w, (set = new Set()));
    for (let i = 0; i + w <= form.length; i++) {
      set.add(form.slice(i, i + w));
      starts.add(form.charCodeAt(i) * 0x10000 + (w > 1 ? form.charCodeAt(i + 1) : 0x10000 - 1));
    }
  }
  const single = [...windows.keys()].some((w) => w === 1);

  /** Marks every character covered by a window; null when none is. */
  function cover(text: string): Uint8Array | null {
    let marks: Uint8Array | null = null;
    for (let i = 0; i < text.length; i++) {
      const c0 = lowerCode(text.charCodeAt(i));
      if (!single && !starts.has(c0 * 0x10000 + lowerCode(text.charCodeAt(i + 1)))) continue;
      for (const [w, set] of windows) {
        if (i + w > text.length || !set.has(asciiLower(text.slice(i, i + w)))) continue;
        marks ??= new Uint8Array(text.length);
        marks.fill(1, i, i + w);
      }
    }
    return marks;
  }

  const redactor = (text: string): string => {
    const marks = cover(text);
    if (marks === null) return text;
    let out = '';
    let i = 0;
    while (i < text.length) {
      if (marks[i] === 0) {
        out += text[i++]!;
        continue;
      }
      while (i < text.length && marks[i] === 1) i++;
      out += REDACTED;
    }
    return out;
  };
  return Object.assign(redactor, { finds: (text: string) => cover(text) !== null });
}

/**
 * `redactor(text)` cut to `max` characters. Redacts first, on a prefix long enough to hold any
 * form of the key that overlaps the cut, so a cut can never leave part of the key behind.
 */
export function redactCut(text: string, redactor: Redactor, max: number): string {
  const head = text.length > max * 4 + 512 ? text.slice(0, max * 4 + 512) : text;
  const r = redactor(head);
  return r.length > max ? r.slice(0, max) : r;
}

/**
 * A copy of a JSON value with every string (keys included) redacted. Nesting deeper than 32 levels
 * is replaced by `"[nested too deep]"`, so a hostile body cannot overflow the stack.
 */
export function redactDeep(value: unknown, redactor: Redactor, depth = 0): unknown {
  if (typeof value === 'string') return redactor(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redactor, depth + 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    // defineProperty: a key named __proto__ stays a plain property.
    Object.defineProperty(out, redactor(k), {
      value: redactDeep((value as Record<string, unknown>)[k], redactor, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
