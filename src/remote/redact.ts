/**
 * Keeping the API key out of everything the client hands back. A server may echo the key in an
 * error message, a code, a nested field or even inside a payload, as written, encoded or broken up.
 * Matching is done on a skeleton of both the key's forms and the server's text: HTML entities
 * decoded (`&#115;`, `&#x73;`, `&amp;#115;`, Latin-1 names; other names dropped), compatibility
 * decomposition (the K of NFKC: full-width and styled letters become plain ones) with combining
 * marks dropped, lower case, and everything but letters and digits removed (zero-width characters,
 * dashes, spaces, dots, underscores, any separator). The redactor built once per client replaces
 * every stretch of text whose skeleton holds:
 * - the key, or any run of `FRAGMENT` or more consecutive skeleton characters of it (a server that
 *   cuts or masks the middle of the key still leaks its ends);
 * - the same for its URL-encoded forms (`encodeURIComponent`, `+` for spaces), its hex, and its
 *   base64 / base64url at each of the three byte alignments it can have inside a longer base64
 *   text, over both its Latin-1 bytes (what goes on the wire) and its UTF-8 bytes.
 * `redactDeep` also matches across the strings of a body, in document order: a key cut into pieces
 * spread over fields (adjacent, or whole fields with other fields between them) is caught.
 * Every pass is linear in the text: one skeleton pass, one window lookup per position.
 */

/** Shortest run of a key form that counts as a leak (the whole form when shorter). */
export const FRAGMENT = 10;

/**
 * Fewest letters and digits a key must have. Shorter, its runs would be ordinary words: a
 * 1-character key would redact that letter everywhere ("r[redacted]ach").
 */
export const MIN_KEY_CHARS = 8;

export const REDACTED = '[redacted]';

/** Deepest nesting of a server body that `redactDeep` copies; deeper values are replaced. */
const MAX_DEPTH = 32;

export interface Redactor {
  /** `text` with every run of a key form replaced by `[redacted]`. */
  (text: string): string;
  /** Whether `text` holds a run of a key form. */
  readonly finds: (text: string) => boolean;
  /** Each of `texts` redacted, with runs that cross from one text into the next caught too. */
  readonly many: (texts: readonly string[]) => string[];
}

// ---- the skeleton ------------------------------------------------------------------------------

/** HTML's Latin-1 entity names, U+00A0 to U+00FF in order (the letters a Latin-1 key may hold). */
const LATIN1_ENTITIES =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';
const NAMED = /* @__PURE__ */ (() => {
  const m = new Map<string, number>([
    ['amp', 0x26],
    ['lt', 0x3c],
    ['gt', 0x3e],
    ['quot', 0x22],
    ['apos', 0x27],
  ]);
  LATIN1_ENTITIES.split(' ').forEach((name, i) => m.set(name, 0xa0 + i));
  return m;
})();

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
/** Code point -> its skeleton characters; bounded so a text of distinct characters cannot grow it. */
const foldCache = new Map<number, string>();
const FOLD_CACHE_MAX = 1 << 16;

/** What one code point leaves in the skeleton: NFKD, lower case, letters and digits only. */
function fold(cp: number): string {
  const hit = foldCache.get(cp);
  if (hit !== undefined) return hit;
  let out = '';
  for (const ch of String.fromCodePoint(cp).normalize('NFKD').toLowerCase()) if (LETTER_OR_DIGIT.test(ch)) out += ch;
  if (foldCache.size < FOLD_CACHE_MAX) foldCache.set(cp, out);
  return out;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isAlnum = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/**
 * The HTML entity at `at` (an `&`): [code point or -1 for one that leaves nothing, index after it],
 * or undefined when there is none. `&amp;` chains (`&amp;amp;#115;`) are read through.
 */
function entityAt(t: string, at: number): [number, number] | undefined {
  let j = at + 1;
  while (t.startsWith('amp;', j)) j += 4;
  if (t.charCodeAt(j) === 35 /* # */) {
    const hex = (t.charCodeAt(j + 1) | 0x20) === 120; /* x */
    let k = j + (hex ? 2 : 1);
    const from = k;
    let cp = 0;
    while (k - from < 8 && (hex ? isHex(t.charCodeAt(k)) : isDigit(t.charCodeAt(k)))) cp = cp * (hex ? 16 : 10) + parseInt(t[k++]!, 16);
    if (k === from) return j > at + 1 ? [0x26, j] : undefined;
    if (t.charCodeAt(k) === 59) k++;
    return [cp > 0x10ffff ? -1 : cp, k];
  }
  let k = j;
  while (k - j < 32 && isAlnum(t.charCodeAt(k))) k++;
  if (k > j && t.charCodeAt(k) === 59 /* ; */) return [NAMED.get(t.slice(j, k)) ?? -1, k + 1];
  return j > at + 1 ? [0x26, j] : undefined;
}

/** A text's skeleton, with the range of the original text each skeleton character came from. */
interface Skeleton {
  readonly text: string;
  /** Per skeleton character, where its source starts and ends in the text; undefined: one for one. */
  readonly from: Int32Array | undefined;
  readonly to: Int32Array | undefined;
}

/** Builds a skeleton in typed arrays that double as needed (one pass, no per-character objects). */
class SkeletonBuilder {
  codes: Uint16Array;
  from: Int32Array;
  to: Int32Array;
  n = 0;
  constructor(size: number) {
    this.codes = new Uint16Array(size);
    this.from = new Int32Array(size);
    this.to = new Int32Array(size);
  }
  push(code: number, a: number, b: number): void {
    if (this.n === this.codes.length) {
      const size = this.codes.length * 2;
      const c = new Uint16Array(size);
      const f = new Int32Array(size);
      const e = new Int32Array(size);
      c.set(this.codes);
      f.set(this.from);
      e.set(this.to);
      this.codes = c;
      this.from = f;
      this.to = e;
    }
    this.codes[this.n] = code;
    this.from[this.n] = a;
    this.to[this.n] = b;
    this.n++;
  }
  pushAll(s: string, a: number, b: number): void {
    for (let q = 0; q < s.length; q++) this.push(s.charCodeAt(q), a, b);
  }
  done(): Skeleton {
    const parts: string[] = [];
    for (let i = 0; i < this.n; i += 8192) parts.push(String.fromCharCode(...this.codes.subarray(i, Math.min(this.n, i + 8192))));
    return { text: parts.join(''), from: this.from.subarray(0, this.n), to: this.to.subarray(0, this.n) };
  }
}

function skeletonOf(t: string): Skeleton {
  const out = new SkeletonBuilder(Math.max(16, t.length));
  for (let i = 0; i < t.length;) {
    const c = t.charCodeAt(i);
    if (c < 0x80) {
      if (isDigit(c) || (c >= 97 && c <= 122)) out.push(c, i, i + 1);
      else if (c >= 65 && c <= 90) out.push(c + 32, i, i + 1);
      else if (c === 38) {
        const e = entityAt(t, i);
        if (e !== undefined) {
          if (e[0] >= 0) out.pushAll(fold(e[0]), i, e[1]);
          i = e[1];
          continue;
        }
      }
      i++;
      continue;
    }
    const cp = t.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    out.pushAll(fold(cp), i, i + len);
    i += len;
  }
  return out.done();
}

/** A text's skeleton: what key matching compares (exported for tests and the key-length check). */
export function skeleton(text: string): string {
  return skeletonOf(text).text;
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

/** Every written form of the key worth catching, as written (not yet lower-cased). */
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
  return [...forms].filter((f) => f.length > 0);
}

/** Letters and digits in `key` as the redactor counts them (the key must have MIN_KEY_CHARS). */
export function keyStrength(key: string): number {
  return skeleton(key).length;
}

/** The text as written, ASCII lower-cased, one character for one (the matcher the skeleton adds to). */
function literalOf(t: string): Skeleton {
  // Only A-Z change, and to one character each: indices stay aligned (toLowerCase could not promise that).
  return { text: t.replace(/[A-Z]+/g, (m) => m.toLowerCase()), from: undefined, to: undefined };
}

/** Windows of a set of forms, and how to read a text for them. */
interface Matcher {
  readonly read: (t: string) => Skeleton;
  readonly forms: readonly string[];
  /** Window length -> every window of that length of every form. */
  readonly windows: ReadonlyMap<number, ReadonlySet<string>>;
  /** The first two characters of any window, so most positions are passed over without a slice. */
  readonly starts: ReadonlySet<number>;
  readonly single: boolean;
}

function matcher(forms: readonly string[], read: (t: string) => Skeleton): Matcher {
  const windows = new Map<number, Set<string>>();
  const starts = new Set<number>();
  for (const form of forms) {
    const w = Math.min(form.length, FRAGMENT);
    let set = windows.get(w);
    if (set === undefined) windows.set(w, (set = new Set()));
    for (let i = 0; i + w <= form.length; i++) {
      set.add(form.slice(i, i + w));
      starts.add(form.charCodeAt(i) * 0x10000 + (w > 1 ? form.charCodeAt(i + 1) : 0xffff));
    }
  }
  return { read, forms, windows, starts, single: windows.has(1) };
}

/** Skeleton intervals [a, b) of `s` covered by a window of `m`, merged, in order (flat pairs). */
function intervals(m: Matcher, s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (!m.single && !m.starts.has(s.charCodeAt(i) * 0x10000 + s.charCodeAt(i + 1))) continue;
    for (const [w, set] of m.windows) {
      if (i + w > s.length || !set.has(s.slice(i, i + w))) continue;
      const last = out.length - 1;
      if (last > 0 && i <= out[last]!) out[last] = Math.max(out[last]!, i + w);
      else out.push(i, i + w);
    }
  }
  return out;
}

/** [start, end) ranges of an original text, as flat pairs, to be replaced. */
type Ranges = number[];

/**
 * A redactor for `key` (already trimmed). Two matchers run over every text: the forms as written
 * (ASCII case folded; catches a key of punctuation that has few letters), and their skeletons
 * (catches what a server did to them). Keys with fewer than MIN_KEY_CHARS letters and digits are
 * refused by the client (see keyStrength); here their skeleton forms are simply left out.
 */
export function createRedactor(key: string): Redactor {
  const written = formsOf(key);
  const literal = matcher([...new Set(written.map((f) => literalOf(f).text))], literalOf);
  const norm = matcher(
    [...new Set(written.map(skeleton))].filter((f) => f.length >= MIN_KEY_CHARS),
    skeletonOf,
  );
  // Characters of the key outside its skeleton at its two ends ('!' in "!abc..."): a skeleton
  // match of the whole key takes them too. Only the key's own, and at most as many as it has there.
  let lead = 0;
  let trail = 0;
  for (const f of written) {
    const sk = skeletonOf(f);
    if (sk.from === undefined || sk.to === undefined || sk.from.length === 0) continue;
    lead = Math.max(lead, sk.from[0]!);
    trail = Math.max(trail, f.length - sk.to[sk.to.length - 1]!);
  }
  const junk = new Set(written.join(''));

  /** Adds the original range of skeleton characters [a, b) of `k`, widened over the key's end characters. */
  function addRange(t: string, k: Skeleton, a: number, b: number, into: Ranges): void {
    if (k.from === undefined || k.to === undefined) {
      into.push(a, b);
      return;
    }
    let start = k.from[a]!;
    let end = k.to[b - 1]!;
    for (let n = 0; n < lead && start > 0 && junk.has(t[start - 1]!) && (a === 0 || k.to[a - 1]! < start); n++) start--;
    for (let n = 0; n < trail && end < t.length && junk.has(t[end]!) && (b === k.from.length || k.from[b]! > end); n++) end++;
    into.push(start, end);
  }

  /** Ranges to replace in each text, matching `m` over the texts listed in `which`, joined in order. */
  function cover(m: Matcher, texts: readonly string[], sks: readonly Skeleton[], which: readonly number[], whole: boolean, ranges: Ranges[]): void {
    const offsets: number[] = [];
    let joined = '';
    for (const k of which) {
      offsets.push(joined.length);
      joined += sks[k]!.text;
    }
    const found = intervals(m, joined);
    let at = 0; // index into `which`
    for (let f = 0; f < found.length; f += 2) {
      const a = found[f]!;
      const b = found[f + 1]!;
      while (at + 1 < which.length && offsets[at + 1]! <= a) at++;
      for (let x = at; x < which.length && offsets[x]! < b; x++) {
        const k = which[x]!;
        const sk = sks[k]!;
        const la = Math.max(0, a - offsets[x]!);
        const lb = Math.min(sk.text.length, b - offsets[x]!);
        if (lb <= la) continue;
        if (whole) ranges[k]!.push(0, texts[k]!.length);
        else addRange(texts[k]!, sk, la, lb, ranges[k]!);
      }
    }
  }

  /**
   * A whole field that could be a piece of the key as written: its skeleton is short and inside the
   * key's. (Not inside the hex or base64 forms: too many short fields would match those by chance.
   * A field between two pieces that is itself a piece, "42" in a key holding 42, breaks the run.)
   */
  const keySkeleton = skeleton(key);
  function isPiece(s: string): boolean {
    return s.length > 0 && s.length < FRAGMENT && keySkeleton.includes(s);
  }

  function rangesOf(texts: readonly string[]): Ranges[] {
    const ranges: Ranges[] = texts.map(() => []);
    const all = texts.map((_, i) => i);
    cover(literal, texts, texts.map(literalOf), all, false, ranges);
    if (norm.forms.length === 0) return ranges;
    const sks = texts.map(skeletonOf);
    cover(norm, texts, sks, all, false, ranges);
    // Whole fields that are pieces of the key, with other fields between them: joined on their own.
    const pieces: number[] = [];
    for (let i = 0; i < texts.length; i++) if (isPiece(sks[i]!.text)) pieces.push(i);
    if (pieces.length > 1) cover(norm, texts, sks, pieces, true, ranges);
    return ranges;
  }

  const apply = (t: string, r: Ranges): string => {
    if (r.length === 0) return t;
    const pairs: [number, number][] = [];
    for (let i = 0; i < r.length; i += 2) pairs.push([r[i]!, r[i + 1]!]);
    pairs.sort((x, y) => x[0] - y[0]);
    let out = '';
    let pos = 0;
    let [curA, curB] = pairs[0]!;
    for (let i = 1; i < pairs.length; i++) {
      const [a, b] = pairs[i]!;
      if (a <= curB) curB = Math.max(curB, b);
      else {
        out += t.slice(pos, curA) + REDACTED;
        pos = curB;
        curA = a;
        curB = b;
      }
    }
    return out + t.slice(pos, curA) + REDACTED + t.slice(curB);
  };

  const many = (texts: readonly string[]): string[] => {
    const ranges = rangesOf(texts);
    return texts.map((t, i) => apply(t, ranges[i]!));
  };
  const redactor = (text: string): string => many([text])[0]!;
  return Object.assign(redactor, { finds: (text: string) => rangesOf([text])[0]!.length > 0, many });
}

/**
 * `redactor(text)` cut to `max` characters. The whole text is redacted before the cut (linear
 * time), so a cut can never leave part of the key behind, however much filler a server puts in it.
 */
export function redactCut(text: string, redactor: Redactor, max: number): string {
  const r = redactor(text);
  return r.length > max ? r.slice(0, max) : r;
}

/**
 * A copy of a JSON value with every string (keys included) redacted, matching across strings in
 * document order (a key split over fields). Nesting deeper than 32 levels is replaced by
 * `"[nested too deep]"`, so a hostile body cannot overflow the stack.
 */
export function redactDeep(value: unknown, redactor: Redactor): unknown {
  const texts: string[] = [];
  collect(value, texts, 0);
  const redacted = redactor.many(texts);
  let next = 0;
  const rebuild = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redacted[next++]!;
    if (typeof v !== 'object' || v === null) return v;
    if (depth >= MAX_DEPTH) return '[nested too deep]';
    if (Array.isArray(v)) return v.map((x) => rebuild(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const name = redacted[next++]!;
      // defineProperty: a key named __proto__ stays a plain property.
      Object.defineProperty(out, name, {
        value: rebuild((v as Record<string, unknown>)[k], depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return rebuild(value, 0);
}

/** Every string of a JSON value, keys included, in the order `redactDeep` rebuilds it. */
function collect(v: unknown, into: string[], depth: number): void {
  if (typeof v === 'string') {
    into.push(v);
    return;
  }
  if (typeof v !== 'object' || v === null || depth >= MAX_DEPTH) return;
  if (Array.isArray(v)) {
    for (const x of v) collect(x, into, depth + 1);
    return;
  }
  for (const k of Object.keys(v)) {
    into.push(k);
    collect((v as Record<string, unknown>)[k], into, depth + 1);
  }
}
