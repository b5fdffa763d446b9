/**
 * validate(): every rule broken, as issues. It walks the rule table (rules.ts): each row names its
 * path, strength and limits, and this module holds one check per row kind. A MUST broken is an
 * error, a SHOULD a warning; nothing here decides a severity. The QRIS profile's rows run when
 * 58 = `ID` (or when asked); a national overlay's rows (and its relaxations, each a row) when 58
 * and an account GUID name its scheme (or when asked); any other code is judged by EMVCo alone.
 * Rows limited to a code kind (transfer rows, the payment limit) run on codes of that kind.
 */
import { compareDecimal, decimalParts, isAmountText } from './amount.js';
import { describeValue, isQrisError, QrisError, type Issue, type QrisErrorCode } from '../errors.js';
import { kindOfNodes, type CodeKind } from './kinds.js';
import { nnsOf } from './nns.js';
import { overlayOf, subObjects } from './overlays.js';
import { CURRENCY_EXPONENT, expandPath, PROFILES, RULES, type Profile, type RuleSpec, type ValidationCode } from './rules.js';
import { ADDITIONAL_DATA, rootName } from './spec.js';
import { firstLoneSurrogate } from '../codec/text.js';
import { codePointLength, toParsed, type ParsedQris, type ParseWarningCode, type TlvNode } from '../codec/tlv.js';

export { VALIDATION_CODES } from './rules.js';
export type { Profile, ValidationCode } from './rules.js';

/**
 * Every code a `QrisIssue` can carry: parse warnings, the rules `validate` checks, and the
 * QrisError code of a payload too broken to check (validate reports it as its one issue).
 */
export type IssueCode = QrisErrorCode | ParseWarningCode | ValidationCode;

/** A finding that does not stop parsing (parse warnings) or a rule broken (`validate`). */
export type QrisIssue = Issue<IssueCode>;

export interface ValidateOptions {
  /**
   * The rule set: `emvco` (EMVCo MPM alone), `qris` (EMVCo plus the QRIS profile), or a national
   * overlay: `duitnow`, `promptpay`, `vietqr`, `paynow`.
   * @default 'qris' when 58 = `ID`; the overlay whose country (58) and account GUID the code
   * carries; else 'emvco'
   */
  readonly profile?: Profile | undefined;
}

export interface ValidationResult {
  /** True when there is no issue of severity `error`. */
  readonly valid: boolean;
  /** The rule set that ran. */
  readonly profile: Profile;
  /** The kind of QRIS code (payment, transfer, cash-withdrawal, cash-deposit); absent when unreadable. */
  readonly kind?: CodeKind;
  /** Every finding, in payload order (those without an offset last). */
  readonly issues: readonly QrisIssue[];
}

interface Compiled {
  readonly rule: RuleSpec & { readonly code: ValidationCode };
  readonly severity: 'error' | 'warning';
  readonly paths: readonly string[];
  /** Checked on each node at its paths (dispatched by path), rather than once per payload. */
  readonly perNode: boolean;
  readonly when: readonly (readonly [string, string])[] | undefined;
  readonly unless: readonly (readonly [string, string])[] | undefined;
  /** The paths on root objects (no `/`). */
  readonly rootPaths: readonly string[];
  readonly kinds: readonly CodeKind[] | undefined;
}

const TREE_KINDS = new Set<RuleSpec['check']>([
  'parse',
  'crc',
  'present',
  'duplicates',
  'merchantAccount',
  'surrogates',
  'controls',
  'prompt',
  'countryMismatch',
  'staticWithAmount',
  'dynamicWithoutAmount',
  'relax',
]);
const LEAF_KINDS = new Set<RuleSpec['check']>(['surrogates', 'controls', 'prompt']);

const COMPILED: readonly Compiled[] = RULES.map((r: RuleSpec & { readonly code: ValidationCode }) => {
  const paths = expandPath(r.path);
  return {
    rule: r,
    severity: r.strength === 'MUST' ? 'error' : 'warning',
    paths,
    perNode: !TREE_KINDS.has(r.check) && paths[0] !== 'payload',
    when: r.when ? Object.entries(r.when) : undefined,
    unless: r.unless ? Object.entries(r.unless) : undefined,
    rootPaths: paths.filter((p) => !p.includes('/')),
    kinds: r.kinds,
  } as const;
});
const SEVERITY_BY_CODE = new Map<string, 'error' | 'warning'>(COMPILED.map((c) => [c.rule.code, c.severity]));
/** The source of the first row of each code, for issues not raised by a row (parse errors and warnings). */
const SOURCE_BY_CODE = new Map<string, string>([...COMPILED].reverse().map((c) => [c.rule.code, c.rule.source]));

function groupBy<T>(items: Iterable<readonly [string, T]>): ReadonlyMap<string, readonly T[]> {
  const m = new Map<string, T[]>();
  for (const [k, v] of items) {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  }
  return m;
}

// Rows are dispatched from the nodes present (one map lookup per node), not by probing every
// path of every row: `26-51/00, 80-99/00` alone expands to 46 paths. Each profile gets its own
// dispatch tables (EMVCo rows plus its own), built once, so a run never looks at another
// profile's rows.
interface Dispatch {
  /** Rows checked once per payload (tree checks), in table order. */
  readonly tree: readonly Compiled[];
  /** Per-node rows by concrete path. */
  readonly byPath: ReadonlyMap<string, readonly Compiled[]>;
  /** `present` rows on sub-objects, by parent path: [row, sub-ID, full path]. */
  readonly presentChild: ReadonlyMap<string, readonly (readonly [Compiled, string, string])[]>;
}
const DISPATCH: ReadonlyMap<Profile, Dispatch> = new Map(
  PROFILES.map((profile) => {
    const rows = COMPILED.filter((c) => c.rule.check !== 'relax' && (c.rule.profile === 'emvco' || c.rule.profile === profile));
    const dispatch: Dispatch = {
      tree: rows.filter((c) => !c.perNode),
      byPath: groupBy(rows.filter((c) => c.perNode).flatMap((c) => c.paths.map((p) => [p, c] as const))),
      presentChild: groupBy(
        rows
          .filter((c) => c.rule.check === 'present')
          .flatMap((c) =>
            c.paths.filter((p) => p.includes('/')).map((p) => [p.slice(0, p.lastIndexOf('/')), [c, p.slice(p.lastIndexOf('/') + 1), p] as const] as const),
          ),
      ),
    };
    return [profile, dispatch] as const;
  }),
);
const LEAF_ROWS = COMPILED.filter((c) => LEAF_KINDS.has(c.rule.check));
/**
 * Relaxations by profile: `code|path` -> the values relaxed (undefined: any). An EMVCo issue is
 * dropped only when a `relax` row of the profile that ran names its code and path.
 */
const RELAXED: ReadonlyMap<Profile, ReadonlyMap<string, readonly string[] | undefined>> = (() => {
  const m = new Map<Profile, Map<string, readonly string[] | undefined>>();
  for (const c of COMPILED) {
    if (c.rule.check !== 'relax') continue;
    let byKey = m.get(c.rule.profile);
    if (!byKey) m.set(c.rule.profile, (byKey = new Map<string, readonly string[] | undefined>()));
    for (const p of c.paths) byKey.set(`${c.rule.code}|${p}`, c.rule.values);
  }
  return m;
})();

/** Checks a payload against every rule of the table that applies to its profile. */
export function validate(input: string | ParsedQris, options?: ValidateOptions): ValidationResult {
  const asked = profileOption(options);
  let parsed: ParsedQris;
  try {
    parsed = toParsed(input);
  } catch (e) {
    if (!isQrisError(e)) throw e;
    const issue: QrisIssue = { severity: 'error', code: e.code, message: e.message, ...where(e.offset, e.tag), ...sourceOf(e.code) };
    return { valid: false, profile: asked ?? 'emvco', issues: [issue] };
  }
  const ctx = new Context(parsed, asked);
  const issues = ctx.run();
  issues.sort((a, b) => (a.offset ?? Infinity) - (b.offset ?? Infinity));
  return { valid: !issues.some((i) => i.severity === 'error'), profile: ctx.profile, kind: ctx.kind, issues };
}

function profileOption(options: ValidateOptions | undefined): Profile | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object') throw new QrisError('BAD_OPTION', 'validate() options must be an object such as { profile: "emvco" }.');
  const p = options.profile;
  if (p === undefined || PROFILES.includes(p)) return p;
  throw new QrisError('BAD_OPTION', `profile must be one of ${PROFILES.map((x) => `"${x}"`).join(', ')}; got ${describeValue(p)}.`);
}

function sourceOf(code: string): { source?: string } {
  const source = SOURCE_BY_CODE.get(code);
  return source === undefined ? {} : { source };
}

function where(offset: number | undefined, tag: string | undefined): { offset?: number; tag?: string } {
  const w: { offset?: number; tag?: string } = {};
  if (offset !== undefined) w.offset = offset;
  if (tag !== undefined) w.tag = tag;
  return w;
}

/** One validation run: the tree indexed by path, and the issues found so far. */
class Context {
  readonly profile: Profile;
  readonly kind: CodeKind;
  /** The relaxations of the profile that ran (undefined: none). */
  private readonly relaxed: ReadonlyMap<string, readonly string[] | undefined> | undefined;
  private readonly issues: QrisIssue[] = [];
  /** Root objects by ID (IDs are unique at the root: parse guarantees it). */
  private readonly root = new Map<string, TlvNode>();
  /** Every node and its path (`59`, `26/01`, `62/99/00`), in payload order, as two parallel lists. */
  private readonly paths: string[] = [];
  private readonly nodes: TlvNode[] = [];

  constructor(
    private readonly parsed: ParsedQris,
    asked: Profile | undefined,
  ) {
    for (const n of parsed.nodes) this.root.set(n.id, n);
    this.index(parsed.nodes, '');
    this.profile = asked ?? (this.value('58') === 'ID' ? 'qris' : (overlayOf(parsed.nodes) ?? 'emvco'));
    this.kind = kindOfNodes(parsed.nodes);
    this.relaxed = RELAXED.get(this.profile);
  }

  /** Whether a row of this profile's dispatch runs on this code's kind. */
  private applies(c: Compiled): boolean {
    return c.kinds === undefined || c.kinds.includes(this.kind);
  }

  /** Whether a relax row of the profile that ran drops `code` at `tag`. */
  private isRelaxed(code: string, tag: string | undefined): boolean {
    if (this.relaxed === undefined || tag === undefined) return false;
    const key = `${code}|${tag}`;
    if (!this.relaxed.has(key)) return false;
    const values = this.relaxed.get(key);
    return values === undefined || values.includes(this.value(tag) ?? '');
  }

  private index(nodes: readonly TlvNode[], parent: string): void {
    for (const n of nodes) {
      const path = parent === '' ? n.id : parent + '/' + n.id;
      this.paths.push(path);
      this.nodes.push(n);
      if (n.children) this.index(n.children, path);
    }
  }

  private value(path: string): string | undefined {
    return this.root.get(path)?.value;
  }

  /** The GUID (00) of root template `id`, upper-cased ('' when none). */
  private guidOf(id: string): string {
    const t = this.root.get(id)?.children;
    if (t !== undefined) for (const k of t) if (k.id === '00') return k.value.toUpperCase();
    return '';
  }

  /** Whether root object `id` is present. */
  has(id: string): boolean {
    return this.root.has(id);
  }

  private holds(cond: readonly (readonly [string, string])[] | undefined): boolean {
    if (cond === undefined) return true;
    for (const [path, v] of cond) if (this.value(path) !== v) return false;
    return true;
  }

  private add(c: Compiled, message: string, offset: number | undefined, tag: string | undefined): void {
    if (this.relaxed !== undefined && c.rule.profile === 'emvco' && this.isRelaxed(c.rule.code, tag)) return;
    this.issues.push({ severity: c.severity, code: c.rule.code, message, ...where(offset, tag), source: c.rule.source });
  }

  run(): QrisIssue[] {
    for (const w of this.parsed.warnings) {
      if (this.relaxed !== undefined && this.isRelaxed(w.code, w.tag)) continue;
      this.issues.push({ ...w, severity: SEVERITY_BY_CODE.get(w.code) ?? 'warning', ...sourceOf(w.code) });
    }
    const { tree, byPath, presentChild } = DISPATCH.get(this.profile)!;
    for (const c of tree) if (this.applies(c)) this.check(c);
    for (let i = 0; i < this.nodes.length; i++) {
      const path = this.paths[i]!;
      const node = this.nodes[i]!;
      const rows = byPath.get(path);
      if (rows !== undefined) for (const c of rows) if (this.applies(c)) this.nodeCheck(c, path, node);
      const wanted = presentChild.get(path);
      if (wanted !== undefined) for (const w of wanted) if (this.applies(w[0])) this.childPresent(w[0], node, w[1], w[2]);
      if (!node.children && path !== '63') for (const c of LEAF_ROWS) this.leaf(c, path, node);
    }
    return this.issues;
  }

  /** A `present` row on sub-object `id` of `parent` (a template kept raw lacks every one). */
  private childPresent(c: Compiled, parent: TlvNode, id: string, path: string): void {
    if (!this.holds(c.when)) return;
    if (parent.children?.some((k) => k.id === id)) return;
    const anchor = c.when ? this.root.get(c.when[0]![0]) : undefined;
    this.add(c, `${label(path)} is missing. ${this.expect(c.rule, path)}`, anchor?.offset ?? parent.offset, path);
  }

  /** One per-node row on one node at `path`. */
  private nodeCheck(c: Compiled, path: string, n: TlvNode): void {
    const r = c.rule;
    let said: string | undefined;
    if (r.check === 'templates') {
      if (!n.children) said = `Template ${path} does not hold data objects.`;
    } else if (r.check === 'absent') {
      if (c.unless === undefined || !this.holds(c.unless)) said = `${label(path)} is present (${describeValue(n.value)}).`;
    } else if (r.check === 'length') {
      const min = r.limits?.min ?? 0;
      const max = r.limits?.max ?? Infinity;
      if (n.length < min || n.length > max) said = `${label(path)} has ${n.length} ${n.length === 1 ? 'character' : 'characters'}.`;
    } else {
      if (n.children || !this.holds(c.when)) return;
      if (r.guid !== undefined && !r.guid.includes(this.guidOf(path.slice(0, 2)))) return;
      if (!VALUE_CHECKS[r.check as ValueCheck](n.value, r, this, path)) said = `${label(path)} is ${describeValue(n.value)}.`;
    }
    if (said !== undefined) this.add(c, `${said} ${this.expect(r, path)}`, n.offset, path);
  }

  private check(c: Compiled): void {
    const r = c.rule;
    switch (r.check) {
      case 'parse':
        return; // thrown by parse (one issue, see validate) or carried in parsed.warnings
      case 'crc':
        return this.crc(c);
      case 'present':
        return this.present(c);
      case 'length':
        return this.length(c); // the payload; data objects' lengths are per-node rows
      case 'duplicates':
        return this.duplicates(c);
      case 'merchantAccount':
        if (!this.parsed.nodes.some((n) => n.id >= '02' && n.id <= '51'))
          this.add(c, 'There is no merchant account information (IDs 02-51), so a payment cannot be routed: a code needs at least one.', undefined, '26');
        return;
      case 'countryMismatch': {
        const country = this.root.get('58');
        if (this.value('53') === '360' && country && country.value !== 'ID')
          this.add(c, `The currency is IDR (360) but the country code is ${describeValue(country.value)}; rupiah codes should say ID.`, country.offset, '58');
        return;
      }
      case 'staticWithAmount': {
        const amount = this.root.get('54');
        if (amount && this.value('01') === '11')
          this.add(c, 'A static code (01 = 11) carries an amount (54); a fixed amount belongs in a dynamic code (01 = 12).', amount.offset, '54');
        return;
      }
      case 'dynamicWithoutAmount': {
        const poi = this.root.get('01');
        if (poi && poi.value === '12' && !this.root.has('54'))
          this.add(c, 'A dynamic code (01 = 12) carries no amount (54), so the payer will have to type it.', poi.offset, '01');
        return;
      }
      default:
        return; // per-node rows: see nodeCheck
    }
  }

  private crc(c: Compiled): void {
    const { crc } = this.parsed;
    if (crc.valid) return;
    // Like the QrisError parse throws (and CRC_LOWERCASE): the offset of the four CRC digits.
    const node = this.root.get('63');
    this.add(
      c,
      `The CRC does not match: the payload declares ${crc.declared}, its content gives ${crc.computed}.`,
      node === undefined ? undefined : node.offset + 4,
      '63',
    );
  }

  /** `present` rows on root objects (sub-objects: childPresent, dispatched per node). */
  private present(c: Compiled): void {
    if (!this.holds(c.when)) return;
    // The issue points at the object the condition names (01 for a missing 51), else nowhere.
    const anchor = c.when ? this.root.get(c.when[0]![0]) : undefined;
    for (const path of c.rootPaths) if (!this.root.has(path)) this.add(c, `${label(path)} is missing. ${this.expect(c.rule, path)}`, anchor?.offset, path);
  }

  /** The payload-level length rule (per-node lengths: see nodeCheck). */
  private length(c: Compiled): void {
    const max = c.rule.limits?.max ?? Infinity;
    const { payload, start } = this.parsed;
    const n = payload.length > max ? codePointLength(payload) : payload.length;
    if (n > max)
      this.add(
        c,
        `The payload has ${n} characters; it should have at most ${max}, as some scanners and apps refuse longer codes.`,
        start + offsetOfCodePoint(payload, max),
        undefined,
      );
  }

  private duplicates(c: Compiled): void {
    for (let i = 0; i < this.nodes.length; i++) {
      const path = this.paths[i]!;
      const node = this.nodes[i]!;
      if (!node.children) continue;
      const seen = new Set<string>();
      for (const k of node.children) {
        if (seen.has(k.id))
          this.add(c, `Sub-object ${k.id} appears twice in ${label(path)}; an ID may appear only once in a template.`, k.offset, `${path}/${k.id}`);
        seen.add(k.id);
      }
    }
  }

  /** Checks that look at every primitive value (and templates kept raw). */
  private leaf(c: Compiled, path: string, node: TlvNode): void {
    const v = node.value;
    if (c.rule.check === 'surrogates') {
      const at = firstLoneSurrogate(v);
      if (at >= 0)
        this.add(
          c,
          `${label(path)} holds an unpaired UTF-16 surrogate at character ${at}; it has no UTF-8 form, so no QR code can carry it.`,
          node.offset + 4 + at,
          path,
        );
    } else if (c.rule.check === 'controls') {
      if (hasControl(v)) this.add(c, `${label(path)} contains control characters (such as a tab or a line break), which no value may hold.`, node.offset, path);
    } else if (v === '***' && promptChecked(path)) {
      this.add(c, `${label(path)} is "***" (ask the consumer), which only 62/01-08 may be.`, node.offset, path);
    }
  }

  /** What a row asks for, as a sentence ("It must be 11 or 12."): the rule's source goes in `source`. */
  expect(r: RuleSpec, path: string): string {
    return expectation(r, path, this.exponent());
  }

  /** The currency exponent of 53, when known. */
  exponent(): number | undefined {
    const cur = this.value('53');
    return cur === undefined ? undefined : CURRENCY_EXPONENT[cur];
  }
}

type ValueCheck = Exclude<
  RuleSpec['check'],
  | 'parse'
  | 'crc'
  | 'present'
  | 'absent'
  | 'length'
  | 'templates'
  | 'duplicates'
  | 'merchantAccount'
  | 'surrogates'
  | 'controls'
  | 'prompt'
  | 'countryMismatch'
  | 'staticWithAmount'
  | 'dynamicWithoutAmount'
  | 'relax'
>;

/** One predicate per value rule kind: true when the value keeps the rule. */
const VALUE_CHECKS: Readonly<Record<ValueCheck, (v: string, r: RuleSpec, ctx: Context, path: string) => boolean>> = {
  oneOf: (v, r) => (r.caseFree ? r.values!.includes(v.toUpperCase()) : r.values!.includes(v)),
  digits: (v) => /^[0-9]*$/.test(v),
  // Control characters are BAD_FORMAT's; this is about characters beyond ASCII.
  commonCharset: (v) => !/[\u0080-\uffff]/.test(v),
  letters: (v) => /^[A-Za-z]*$/.test(v),
  capitals: (v) => /^[A-Z]*$/.test(v),
  amountFormat: (v) => isAmountText(v),
  // A malformed amount is the format rule's; this one only says "zero".
  nonZero: (v) => !isAmountText(v) || !/^[0.]*$/.test(v),
  percentRange: (v) => isAmountText(v) && compareDecimal(v, '0.01') >= 0 && compareDecimal(v, '99.99') <= 0,
  decimals: (v, _r, ctx) => {
    const e = ctx.exponent();
    const parts = decimalParts(v);
    return e === undefined || parts === null || parts[1].length <= e;
  },
  // Under the QRIS profile 26-45 follow the QRIS GUID rule instead.
  guid: (v, _r, ctx, path) => isGuid(v) || (ctx.profile === 'qris' && path >= '26' && path < '46'),
  qrisGuid: (v) => v === '00' || isReverseDomain(v),
  panDigits: (v, r) => /^[0-9]*$/.test(v) && v.length >= (r.limits?.min ?? 0) && v.length <= (r.limits?.max ?? Infinity),
  knownNns: (v) => !/^[0-9]{8}/.test(v) || nnsOf(v) !== undefined,
  nmid: (v, r) => /^ID[0-9]+$/.test(v) && v.length >= (r.limits?.min ?? 0) && v.length <= (r.limits?.max ?? Infinity),
  consumerData: (v) => /^(?!.*(.).*\1)[AME]*$/.test(v),
  // A malformed amount is the format rule's; this one only compares.
  maxAmount: (v, r) => !isAmountText(v) || compareDecimal(v, String(r.limits?.max ?? Infinity)) <= 0,
  // Only a code with a transfer template (root 40) and a purpose shaped like a Table 3.23 code (4
  // capitals) is held to the table: 40 is also a merchant account ID, and 62/08 free text there.
  purpose: (v, r, ctx) => !ctx.has('40') || !/^[A-Z]{4}$/.test(v) || r.values!.includes(v),
  bic: (v) => /^[A-Z0-9]{8,11}$/.test(v),
  expiry: (v) => isExpiry(v),
  vietqrBeneficiary: (v) => {
    const o = subObjects(v);
    const bin = o?.get('00');
    const account = o?.get('01');
    return bin !== undefined && /^[0-9]{6}$/.test(bin) && account !== undefined && account.length >= 1 && account.length <= 19;
  },
};

/**
 * A row's requirement in a plain sentence, built from its kind and data (limits, values, conditions)
 * rather than from its `text`, which is written for the README's rule table. The rule's source is
 * not in the sentence: it is the issue's `source`.
 */
function expectation(r: RuleSpec, path: string, exponent: number | undefined): string {
  const must = r.strength === 'MUST' ? 'must' : 'should';
  const min = r.limits?.min ?? 0;
  const max = r.limits?.max ?? Infinity;
  switch (r.check) {
    case 'present':
      return r.when ? `It ${must} be there when ${conditions(r.when)}.` : r.strength === 'MUST' ? 'It is required.' : 'It should be there.';
    case 'absent':
      if (r.unless) return `It ${must} only be there when ${conditions(r.unless)}.`;
      return r.code === 'RFU_SUB_ID' ? 'That ID is reserved for EMVCo and should not be used.' : `It ${must} not be there.`;
    case 'length':
      if (min === max) return `It ${must} be ${min} characters long.`;
      if (min <= 1) return `It ${must} be 1 to ${max} characters long.`;
      return `It ${must} be ${min} to ${max} characters long.`;
    case 'oneOf':
      return `It ${must} be ${orList(r.values ?? [])}${r.caseFree ? ' (in any case)' : ''}.`;
    case 'digits':
      return `It ${must} hold digits only.`;
    case 'commonCharset':
      return `It ${must} hold plain ASCII characters only; text in another script belongs in the language template (64).`;
    case 'letters':
      return `It ${must} hold letters only.`;
    case 'capitals':
      return path === '58' ? `It ${must} be a country code of two capital letters, such as ID.` : `It ${must} hold capital letters only.`;
    case 'amountFormat':
      return `It ${must} be digits with at most one '.' before the cents, such as 25000 or 25000.50, with no thousands separator.`;
    case 'nonZero':
      return `It ${must} not be zero.`;
    case 'percentRange':
      return `It ${must} be a percentage from 0.01 to 99.99, without '%'.`;
    case 'decimals':
      return exponent === undefined
        ? `It ${must} not have more decimals than the currency has.`
        : `It ${must} have at most ${exponent} ${exponent === 1 ? 'decimal' : 'decimals'} in this currency.`;
    case 'guid':
      return `It ${must} be a reverse domain name (such as ID.CO.QRIS.WWW), an AID (10 to 32 hex digits) or a UUID without hyphens.`;
    case 'qrisGuid':
      return `It ${must} be a reverse domain name (such as ID.CO.BCA.WWW) or 00.`;
    case 'panDigits':
      return `It ${must} be ${min} to ${max} digits, the first 8 being the acquirer's NNS.`;
    case 'knownNns':
      return `Its first 8 digits (the NNS) ${must} name a known acquirer; this one is not in the library's table, which is incomplete.`;
    case 'nmid':
      return `It ${must} be ID followed by digits, ${min} to ${max} characters in all.`;
    case 'consumerData':
      return `It ${must} hold only A (address), M (mobile) and E (email), each at most once.`;
    case 'templates':
      return `It ${must} hold data objects (ID, length, value).`;
    case 'maxAmount':
      return `It ${must} be at most Rp ${rupiah(String(max))}, the limit for one QRIS payment.`;
    case 'purpose':
      return `It ${must} be one of the transfer purposes ${orList(r.values ?? [])}.`;
    case 'bic':
      return `It ${must} be a BIC: 8 to 11 capital letters and digits, such as CENAIDJA.`;
    case 'expiry':
      return `It ${must} be a real date, written YYYYMMDD or YYYYMMDDHHMMSS.`;
    case 'vietqrBeneficiary':
      return `It ${must} hold 00, the bank's 6-digit BIN, and 01, the account or card number (1 to 19 characters).`;
    default:
      // A kind without a sentence of its own (checks above write theirs): the rule's words.
      return `It ${must} follow the rule: ${r.text.replaceAll('`', '')}.`;
  }
}

/** `10000000` -> `10.000.000`: rupiah as Indonesians read them. */
function rupiah(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) out += (i > 0 && (digits.length - i) % 3 === 0 ? '.' : '') + digits[i]!;
  return out;
}

/** `{ '55': '02' }` -> `Tip or Convenience Indicator (55) is 02`. */
function conditions(cond: Readonly<Record<string, string>>): string {
  return Object.entries(cond)
    .map(([p, v]) => `${label(p)} is ${v}`)
    .join(' and ');
}

/** `['11', '12']` -> `11 or 12`; `['a', 'b', 'c']` -> `a, b or c`. */
function orList(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]!}`;
}

/** `YYYYMMDD` or `YYYYMMDDHHMMSS`, a real calendar date and time (PayNow 26/04). */
function isExpiry(v: string): boolean {
  if (!/^[0-9]{8}([0-9]{6})?$/.test(v)) return false;
  const y = Number(v.slice(0, 4));
  const m = Number(v.slice(4, 6));
  const d = Number(v.slice(6, 8));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (m < 1 || m > 12 || d < 1 || d > days) return false;
  return v.length === 8 || (Number(v.slice(8, 10)) < 24 && Number(v.slice(10, 12)) < 60 && Number(v.slice(12, 14)) < 60);
}

/** "Merchant Name (59)", "Merchant PAN (26/01)". */
function label(path: string): string {
  const parts = path.split('/');
  const last = parts[parts.length - 1]!;
  let name: string | undefined;
  if (parts.length === 1) name = rootName(path);
  else if (parts[0] === '62' && parts.length === 2) name = ADDITIONAL_DATA[last]?.name;
  else if (parts[0] === '64')
    name = ({ '00': 'Language Preference', '01': 'Merchant Name - Alternate Language', '02': 'Merchant City - Alternate Language' } as Record<string, string>)[
      last
    ];
  else if (last === '00') name = 'Globally Unique Identifier';
  else if (parts[0] === '51' && last === '02') name = 'NMID';
  else if (last === '01' && Number(parts[0]) <= 51) name = 'Merchant PAN';
  else if (last === '03' && Number(parts[0]) <= 51) name = 'Merchant criteria';
  return name ? `${name} (${path})` : `Data object ${path}`;
}

/** `***` is checked in root primitives, 62's own sub-objects and 64; scheme-owned templates are opaque. */
function promptChecked(path: string): boolean {
  const parts = path.split('/');
  if (parts.length === 1) return true;
  if (parts.length === 2 && parts[0] === '62') return !(parts[1]! >= '01' && parts[1]! <= '08');
  return parts[0] === '64';
}

function hasControl(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function isReverseDomain(v: string): boolean {
  return /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(v);
}

/** Reverse domain name, an AID (10-32 hex digits: RID + PIX) or a UUID without hyphens (32 hex). */
function isGuid(v: string): boolean {
  return isReverseDomain(v) || /^[0-9A-Fa-f]{10,32}$/.test(v);
}

/** String index of code point `n` of `s` (s.length when shorter). */
function offsetOfCodePoint(s: string, n: number): number {
  let i = 0;
  for (let k = 0; k < n && i < s.length; k++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return i;
}
