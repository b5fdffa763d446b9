/**
 * cpmInfo(): what a cashier's screen and a POS need from a CPM code, per Application Template
 * (its own objects first, then the Common Data Template's, as §5.1.1.9 combines them). The PAN is
 * masked unless the caller asks for it (`revealPan`): a screen, a log or a receipt never needs it.
 */
import { acquirerByPan } from '../qris/acquirers.js';
import { maskPan } from '../qris/mask.js';
import { nnsOf } from '../qris/nns.js';
import { describeValue, QrisError } from '../errors.js';
import { toHex, type CpmNode } from './ber.js';
import { toParsedCpm, type ParsedCpm } from './parse.js';
import { QRIS_CPM_AID } from './rules.js';
import { asciiText, isBcd, languageCodes, readTrack2 } from './values.js';
import { panOf } from './validate.js';

export interface CpmInfoOptions {
  /**
   * Include the full PAN (`pan`) and Track 2's discretionary data. Off by default, so what is
   * printed or logged carries only `maskedPan`.
   * @default false
   */
  readonly revealPan?: boolean | undefined;
}

/** QRIS data of the application with the QRIS AID. */
export interface CpmQrisData {
  /** 9F74 (Issuer QRIS Data) in 63, as bytes. */
  readonly issuerData: Uint8Array | undefined;
  /** The first 8 PAN digits (`9360xxxx`). */
  readonly nns: string | undefined;
  /** The institution of that NNS, or null when the table does not know it. */
  readonly institution: string | null;
}

export interface CpmApplication {
  /** 4F, hex (undefined: the POI skips this template, §5.1.1.4). */
  readonly aid: string | undefined;
  /** 50, as text. */
  readonly label: string | undefined;
  /** 87 (Application Priority Indicator) low nibble, 1 highest; undefined when absent or 0. */
  readonly priority: number | undefined;
  /** Byte offset of the 61. */
  readonly offset: number;
  /** Where the PAN came from: `5A`, or `57` (Track 2) when 5A is absent. */
  readonly panSource: '5A' | '57' | undefined;
  /** The PAN for display: NNS / BIN and last 4 digits kept. */
  readonly maskedPan: string | undefined;
  /** The full PAN: only with `{ revealPan: true }`. */
  readonly pan?: string;
  /** From Track 2: `YYMM`. */
  readonly expiry: string | undefined;
  /** From Track 2: three digits. */
  readonly serviceCode: string | undefined;
  /** From Track 2, only with `{ revealPan: true }`. */
  readonly discretionaryData?: string;
  /** 5F20. */
  readonly cardholderName: string | undefined;
  /** 5F2D, in order of preference (`['id', 'en']`). */
  readonly languages: readonly string[];
  /** 5F50. */
  readonly issuerUrl: string | undefined;
  /** 9F08, hex (`0001`). */
  readonly applicationVersion: string | undefined;
  /** 9F19, digits. */
  readonly tokenRequestorId: string | undefined;
  /** 9F24 Payment Account Reference. */
  readonly par: string | undefined;
  /** 9F25: the last 4 digits of the PAN behind a token. */
  readonly last4: string | undefined;
  /** 63 (Application Specific Transparent Template) as one blob, for the acquirer. */
  readonly transparentData: Uint8Array | undefined;
  /** Set on the application carrying the QRIS AID. */
  readonly qris: CpmQrisData | undefined;
}

export interface CpmInfo {
  readonly mode: 'cpm';
  /** 85, as text (`CPV01`). */
  readonly payloadFormat: string | undefined;
  /** The Application Templates, in payload order (a POI offers the choice when two are eligible, §5.1.1.6). */
  readonly applications: readonly CpmApplication[];
  /** 64 (Common Data Transparent Template) as one blob. */
  readonly commonTransparentData: Uint8Array | undefined;
  /** Root objects other than 85, 61 and 62 (kept, not interpreted: §5.1.1.11): tag and byte offset. */
  readonly otherObjects: readonly { readonly tag: string; readonly offset: number }[];
}

const child = (t: CpmNode | undefined, tag: string) => t?.children?.find((c) => c.tag === tag);

/** The fields of a CPM code. Throws what parseCpm throws; `BAD_OPTION` for bad options. */
export function cpmInfo(input: string | Uint8Array | ParsedCpm, options?: CpmInfoOptions): CpmInfo {
  const reveal = revealOption(options);
  const parsed = toParsedCpm(input);
  const pfi = parsed.nodes[0]?.tag === '85' ? parsed.nodes[0] : undefined;
  const common = parsed.nodes.find((n) => n.tag === '62');
  return {
    mode: 'cpm',
    payloadFormat: pfi ? (asciiText(pfi.value) ?? undefined) : undefined,
    applications: parsed.nodes.filter((n) => n.tag === '61').map((a) => application(a, common, reveal)),
    commonTransparentData: child(common, '64')?.value,
    otherObjects: parsed.nodes.filter((n) => n.tag !== '85' && n.tag !== '61' && n.tag !== '62').map((n) => ({ tag: n.tag, offset: n.offset })),
  };
}

function revealOption(options: CpmInfoOptions | undefined): boolean {
  if (options === undefined) return false;
  if (options === null || typeof options !== 'object') throw new QrisError('BAD_OPTION', 'cpmInfo() options must be an object such as { revealPan: true }.');
  const r = options.revealPan;
  if (r !== undefined && typeof r !== 'boolean') throw new QrisError('BAD_OPTION', `revealPan must be a boolean; got ${describeValue(r)}.`);
  return r ?? false;
}

function application(app: CpmNode, common: CpmNode | undefined, reveal: boolean): CpmApplication {
  // POI data: the template's own object first, else the Common Data Template's (§5.1.1.9).
  const get = (tag: string) => child(app, tag) ?? child(common, tag);
  const text = (tag: string) => {
    const n = get(tag);
    return n ? (asciiText(n.value) ?? undefined) : undefined;
  };
  const digits = (tag: string) => {
    const n = get(tag);
    return n && isBcd(n.value) ? toHex(n.value) : undefined;
  };
  const aidNode = child(app, '4F');
  const aid = aidNode ? toHex(aidNode.value) : undefined;
  const track2Node = get('57');
  const track2 = track2Node ? readTrack2(track2Node.value) : null;
  const found = panOf(app, common);
  const pan = found?.digits ?? undefined;
  const prio = get('87');
  const priority = prio && prio.length === 1 && (prio.value[0]! & 15) !== 0 ? prio.value[0]! & 15 : undefined;
  const isQris = aid === QRIS_CPM_AID;
  const nns = pan !== undefined && pan.length >= 8 ? pan.slice(0, 8) : undefined;
  const out: CpmApplication = {
    aid,
    label: text('50'),
    priority,
    offset: app.offset,
    panSource: found ? (found.path.endsWith('5A') ? '5A' : '57') : undefined,
    maskedPan: pan === undefined ? undefined : maskPan(pan),
    ...(reveal && pan !== undefined ? { pan } : {}),
    expiry: track2?.expiry,
    serviceCode: track2?.serviceCode,
    ...(reveal && track2 ? { discretionaryData: track2.discretionary } : {}),
    cardholderName: text('5F20'),
    languages: (get('5F2D') && languageCodes(get('5F2D')!.value)) ?? [],
    issuerUrl: text('5F50'),
    applicationVersion: get('9F08') ? toHex(get('9F08')!.value) : undefined,
    tokenRequestorId: digits('9F19'),
    par: text('9F24'),
    last4: digits('9F25'),
    transparentData: child(app, '63')?.value,
    qris: isQris
      ? {
          issuerData: child(child(app, '63'), '9F74')?.value,
          nns,
          institution: nns === undefined ? null : (nnsOf(pan)?.institution ?? acquirerByPan(pan) ?? null),
        }
      : undefined,
  };
  return out;
}
