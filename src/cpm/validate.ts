/**
 * validateCpm(): every rule of the CPM table broken, as issues with the tag path and byte offset.
 * It walks `CPM_RULES`: each row names its path, strength and limits, and this module holds one
 * check per row kind; nothing here decides a severity. The QRIS rows run when an Application
 * Template carries the QRIS AID (or when asked).
 */
import { acquirerByPan } from '../qris/acquirers.js';
import { nnsOf } from '../qris/nns.js';
import { describeValue, isQrisError, QrisError, type Issue, type QrisErrorCode } from '../errors.js';
import { toHex, type CpmNode } from './ber.js';
import { toParsedCpm, type ParsedCpm } from './parse.js';
import { CPM_RULES, QRIS_CPM_AID, type CpmFormat, type CpmProfile, type CpmRuleSpec, type CpmValidationCode } from './rules.js';
import { asciiText, cnDigits, isBcd, languageCodes, readTrack2 } from './values.js';

export type CpmIssueCode = QrisErrorCode | CpmValidationCode;
/** A rule broken (or the one structural error of a code too broken to check). */
export type CpmIssue = Issue<CpmIssueCode>;

export interface ValidateCpmOptions {
  /**
   * `emvco` (EMV QRCPS CPM alone) or `qris` (plus the QRIS CPM profile).
   * @default 'qris' when an Application Template carries the QRIS AID, else 'emvco'
   */
  readonly profile?: CpmProfile | undefined;
}

export interface CpmValidationResult {
  /** True when no issue has severity `error`. */
  readonly valid: boolean;
  readonly profile: CpmProfile;
  /** Every finding, in payload order (those without an offset last). */
  readonly issues: readonly CpmIssue[];
}

type Row = CpmRuleSpec & { readonly code: CpmValidationCode };
const ROWS: readonly Row[] = CPM_RULES;
const PER_NODE = new Set<CpmRuleSpec['check']>(['length', 'format', 'oneOf']);

/** Per-node rows as a tree of tags (`61` -> `4F`, `61` -> `63` -> `9F74`): the walk descends only where rows are. */
interface PathLevel {
  readonly rows: Row[];
  readonly kids: Map<string, PathLevel>;
}
const ROOT_LEVEL: ReadonlyMap<string, PathLevel> = /* @__PURE__ */ (() => {
  const root = new Map<string, PathLevel>();
  for (const r of ROWS) {
    if (!PER_NODE.has(r.check)) continue;
    for (const p of r.path.split(', ')) {
      let level = root;
      let at: PathLevel | undefined;
      for (const tag of p.split('/')) {
        at = level.get(tag);
        if (at === undefined) level.set(tag, (at = { rows: [], kids: new Map() }));
        level = at.kids;
      }
      at!.rows.push(r);
    }
  }
  return root;
})();

/** Checks a CPM code against every rule of the table that applies to its profile. */
export function validateCpm(input: string | Uint8Array | ParsedCpm, options?: ValidateCpmOptions): CpmValidationResult {
  const asked = profileOption(options);
  let parsed: ParsedCpm;
  try {
    parsed = toParsedCpm(input);
  } catch (e) {
    if (!isQrisError(e)) throw e;
    const issue: CpmIssue = { severity: 'error', code: e.code, message: e.message, ...where(e.offset, e.tag) };
    return { valid: false, profile: asked ?? 'emvco', issues: [issue] };
  }
  const run = new Run(parsed, asked);
  const issues = run.issues;
  issues.sort((a, b) => (a.offset ?? Infinity) - (b.offset ?? Infinity));
  return { valid: !issues.some((i) => i.severity === 'error'), profile: run.profile, issues };
}

function profileOption(options: ValidateCpmOptions | undefined): CpmProfile | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object')
    throw new QrisError('BAD_OPTION', 'validateCpm() options must be an object such as { profile: "qris" }.');
  const p = options.profile;
  if (p === undefined || p === 'emvco' || p === 'qris') return p;
  throw new QrisError('BAD_OPTION', `profile must be "emvco" or "qris"; got ${describeValue(p)}.`);
}

function where(offset: number | undefined, tag: string | undefined): { offset?: number; tag?: string } {
  const w: { offset?: number; tag?: string } = {};
  if (offset !== undefined) w.offset = offset;
  if (tag !== undefined) w.tag = tag;
  return w;
}

const child = (t: CpmNode | undefined, tag: string) => t?.children?.find((c) => c.tag === tag);

/** The Application Template the QRIS rows judge: the one with the QRIS AID, else the first. */
export function qrisApplication(apps: readonly CpmNode[]): CpmNode | undefined {
  return apps.find((a) => isQrisAid(child(a, '4F'))) ?? apps[0];
}

function isQrisAid(n: CpmNode | undefined): boolean {
  return n !== undefined && toHex(n.value) === QRIS_CPM_AID;
}

/** The PAN an Application Template resolves to (5A, else Track 2; its own first, then the 62's), with its node. */
export function panOf(
  app: CpmNode,
  common: CpmNode | undefined,
): { readonly digits: string | null; readonly node: CpmNode; readonly path: string } | undefined {
  for (const [t, tag] of [
    [app, '5A'],
    [common, '5A'],
    [app, '57'],
    [common, '57'],
  ] as const) {
    const n = child(t, tag);
    if (n) return { digits: tag === '5A' ? cnDigits(n.value) : (readTrack2(n.value)?.pan ?? null), node: n, path: `${t!.tag}/${tag}` };
  }
  return undefined;
}

/** One validation run over a parsed code. */
class Run {
  readonly profile: CpmProfile;
  readonly issues: CpmIssue[] = [];
  private readonly reported = new Set<string>();
  private readonly apps: CpmNode[];
  private readonly common: CpmNode | undefined;

  constructor(
    private readonly parsed: ParsedCpm,
    asked: CpmProfile | undefined,
  ) {
    this.apps = parsed.nodes.filter((n) => n.tag === '61');
    this.common = parsed.nodes.find((n) => n.tag === '62');
    this.profile = asked ?? (this.apps.some((a) => isQrisAid(child(a, '4F'))) ? 'qris' : 'emvco');
    const qris = this.profile === 'qris';
    for (const r of ROWS) if (!PER_NODE.has(r.check) && (qris || r.profile !== 'qris')) this.check(r);
    this.walk(parsed.nodes, ROOT_LEVEL, '', qris);
  }

  private add(r: Row, message: string, offset: number | undefined, tag: string | undefined): void {
    if (offset !== undefined) {
      const key = `${r.code}@${offset}`; // one issue per code and object (a tag repeated in two 61s' POI data)
      if (this.reported.has(key)) return;
      this.reported.add(key);
    }
    this.issues.push({
      severity: r.strength === 'MUST' ? 'error' : 'warning',
      code: r.code,
      message: `${message}; ${r.text} (${r.source}).`,
      ...where(offset, tag),
    });
  }

  /** Per-node rows, descending only into templates that have rows below them (61, 62, 61/63). */
  private walk(nodes: readonly CpmNode[], level: ReadonlyMap<string, PathLevel>, parent: string, qris: boolean): void {
    for (const n of nodes) {
      const at = level.get(n.tag);
      if (at === undefined) continue;
      // The path string is built only where rows apply (a fresh concatenation per node costs more than the checks).
      const path = parent === '' ? n.tag : `${parent}/${n.tag}`;
      for (const r of at.rows) if (qris || r.profile !== 'qris') this.nodeCheck(r, path, n);
      if (n.children && at.kids.size > 0) this.walk(n.children, at.kids, path, qris);
    }
  }

  private nodeCheck(r: Row, path: string, n: CpmNode): void {
    if (r.check === 'length') {
      if (n.length < (r.limits?.min ?? 0) || n.length > (r.limits?.max ?? Infinity)) this.add(r, `${path} has ${n.length} bytes`, n.offset, path);
    } else if (r.check === 'format') {
      if (!FORMATS[r.format!](n.value)) this.add(r, `${path} is ${show(n.value)}`, n.offset, path);
    } else if (r.check === 'oneOf') {
      const s = asciiText(n.value);
      if (s === null || !r.values!.includes(s)) this.add(r, `${path} is ${show(n.value)}`, n.offset, path);
    }
  }

  private check(r: Row): void {
    const nodes = this.parsed.nodes;
    switch (r.check) {
      case 'parse':
        return;
      case 'payloadLength': {
        const chars = this.parsed.text?.length ?? Math.ceil(this.parsed.bytes.length / 3) * 4;
        if (chars > r.limits!.max!) this.add(r, `The QR text has ${chars} characters`, undefined, undefined);
        return;
      }
      case 'pfiFirst':
        if (nodes[0]!.tag !== '85') this.add(r, `The first data object is ${nodes[0]!.tag}, not 85: this is not an EMV CPM code`, nodes[0]!.offset, '85');
        return;
      case 'count': {
        const found = nodes.filter((n) => n.tag === r.path);
        const { min = 0, max = Infinity } = r.limits ?? {};
        if (found.length < min) this.add(r, `There is no ${r.path}`, nodes[1]?.offset ?? this.parsed.bytes.length, r.path); // where it belongs: after 85
        if (found.length > max) this.add(r, `There are ${found.length} objects ${r.path}`, found[max]!.offset, r.path);
        return;
      }
      case 'order': {
        let other: CpmNode | undefined;
        for (const n of nodes.slice(nodes[0]!.tag === '85' ? 1 : 0)) {
          if (n.tag !== '61' && n.tag !== '62') other ??= n;
          else if (other) this.add(r, `${n.tag} follows ${other.tag}`, n.offset, n.tag);
        }
        return;
      }
      case 'present': {
        const [, ...rest] = r.path.split('/');
        const targets = r.profile === 'qris' ? [qrisApplication(this.apps)].filter((a) => a !== undefined) : this.apps;
        for (const app of targets) {
          let t: CpmNode | undefined = app;
          for (const tag of rest) t = child(t, tag);
          if (t === undefined) this.add(r, `${r.path} is missing`, app.offset, r.path);
        }
        return;
      }
      case 'pan':
        for (const app of this.apps)
          if (panOf(app, this.common) === undefined) this.add(r, 'This Application Template has no PAN (neither 57 nor 5A, here or in 62)', app.offset, '61');
        return;
      case 'poiDuplicates':
        return this.poiDuplicates(r);
      case 'placement':
        for (const n of nodes) {
          if (n.tag === '63' || n.tag === '64') this.add(r, `${n.tag} is at the root`, n.offset, n.tag);
          const wrong = n.tag === '61' ? '64' : n.tag === '62' ? '63' : undefined;
          for (const c of (wrong && n.children) || []) if (c.tag === wrong) this.add(r, `${wrong} is inside ${n.tag}`, c.offset, `${n.tag}/${wrong}`);
        }
        return;
      case 'qrisApplication':
        if (!this.apps.some((a) => isQrisAid(child(a, '4F')))) {
          const aid = child(this.apps[0], '4F');
          this.add(r, aid ? `61/4F is ${show(aid.value)}` : 'No Application Template names an AID', aid?.offset ?? this.apps[0]?.offset, '61/4F');
        }
        return;
      case 'qrisLabel': {
        const app = qrisApplication(this.apps);
        if (!app) return;
        const label = child(app, '50');
        const text = label && asciiText(label.value);
        if (!label || text === null || !r.values!.includes(text!))
          this.add(r, label ? `61/50 is ${show(label.value)}` : '61/50 is missing', label?.offset ?? app.offset, '61/50');
        return;
      }
      case 'qrisPan':
      case 'knownNns': {
        const app = qrisApplication(this.apps);
        const pan = app && panOf(app, this.common);
        if (!pan || pan.digits === null) return; // no PAN, or a malformed one: their own rows say so
        const d = pan.digits;
        const bad =
          r.check === 'qrisPan'
            ? !(d.length >= 8 && d.startsWith('9360'))
            : d.length >= 8 && d.startsWith('9360') && nnsOf(d) === undefined && acquirerByPan(d) === null;
        if (bad) this.add(r, `The PAN starts ${d.slice(0, 8)}`, pan.node.offset, pan.path);
        return;
      }
      default:
        return;
    }
  }

  /** §5.1.1.10 for each Application Template the POI may choose: its primitives plus the 62's, each once. */
  private poiDuplicates(r: Row): void {
    for (const app of this.apps.length > 0 ? this.apps : [undefined]) {
      const seen = new Set<string>();
      for (const t of [app, this.common]) {
        for (const n of t?.children ?? []) {
          if (n.constructed) continue; // 63 / 64 and other templates: not POI data objects
          if (seen.has(n.tag)) this.add(r, `${n.tag} appears twice in the POI data`, n.offset, `${t!.tag}/${n.tag}`);
          seen.add(n.tag);
        }
      }
    }
  }
}

/** A value for a message: ASCII when printable, else hex (at most 20 bytes either way). */
function show(v: Uint8Array): string {
  const cut = v.length > 20 ? v.subarray(0, 20) : v;
  const text = asciiText(cut);
  const more = v.length > 20 ? `... (${v.length} bytes)` : '';
  return text !== null && text.length > 0 ? describeValue(text) + more : `hex ${toHex(cut) || '(empty)'}${more}`;
}

const FORMATS: Readonly<Record<CpmFormat, (v: Uint8Array) => boolean>> = {
  ans: (v) => asciiText(v) !== null,
  label: (v) => {
    const s = asciiText(v);
    return s !== null && /^[A-Za-z0-9 ]*$/.test(s);
  },
  languages: (v) => languageCodes(v) !== null,
  upperAlnum: (v) => {
    const s = asciiText(v);
    return s !== null && /^[A-Z0-9]*$/.test(s);
  },
  n: isBcd,
  cn: (v) => cnDigits(v) !== null,
  track2: (v) => readTrack2(v) !== null,
};
