/**
 * What `qris convert` does to one input, shared by the single-input command and batch mode: the
 * `toDynamic` options its flags describe, and a converter (local, or local-first with the BAYAR GG
 * fallback under `--remote`).
 */
import { QRIS_PAYMENT_LIMIT, toDynamic } from '../index.js';
import { bool, exclusive, str, UsageError, type ParsedValues } from './args.js';
import { payloadFromInput, type ResolvedInput } from './input.js';
import { aboutPayload, aboutPayloadAsync } from './payload-error.js';

export type ConvertOptions = Parameters<typeof toDynamic>[1];

/** The `toDynamic` options the flags describe. */
export function convertOptions(values: ParsedValues): ConvertOptions {
  exclusive(values, ['fee-fixed', 'fee-percent', 'tip'], 'convert');
  const amount = str(values, 'amount');
  if (amount === undefined) throw new UsageError('--amount is required.', 'convert');
  const decimals = str(values, 'decimals');
  if (decimals !== undefined && decimals !== '0' && decimals !== '2') throw new UsageError('--decimals must be 0 or 2.', 'convert');
  const feeFixed = str(values, 'fee-fixed');
  const feePercent = str(values, 'fee-percent');
  const fee: ConvertOptions['fee'] | undefined = bool(values, 'tip')
    ? { type: 'prompt' }
    : feeFixed !== undefined
      ? { type: 'fixed', value: feeFixed }
      : feePercent !== undefined
        ? { type: 'percent', value: feePercent }
        : undefined;
  // Bank Indonesia's limit for one QRIS payment is the default ceiling; --max-amount N raises or
  // lowers it, --max-amount none lifts it (a transfer's limit is its provider's own).
  const max = str(values, 'max-amount');
  if (max !== undefined && max !== 'none' && !/^[0-9]+(\.[0-9]+)?$/.test(max))
    throw new UsageError(`--max-amount must be a plain amount (e.g. 25000000) or none; got ${JSON.stringify(max)}.`, 'convert');
  const maxAmount = max === undefined ? String(QRIS_PAYMENT_LIMIT) : max === 'none' ? undefined : max;
  const reference = str(values, 'reference');
  const bill = str(values, 'bill');
  const terminal = str(values, 'terminal-label');
  return {
    amount,
    ...(decimals !== undefined ? { decimals: decimals === '2' ? 2 : 0 } : {}),
    ...(maxAmount !== undefined ? { maxAmount } : {}),
    ...(fee ? { fee } : {}),
    ...(reference !== undefined ? { referenceLabel: reference } : {}),
    ...(bill !== undefined ? { billNumber: bill } : {}),
    ...(terminal !== undefined ? { terminalLabel: terminal } : {}),
    ...(bool(values, 'replace-amount') ? { replaceAmount: true } : {}),
  };
}

export interface Converted {
  readonly payload: string;
  readonly source: 'local' | 'remote';
  /** `structure-only`: only the server could read the image, so who gets paid is its word. */
  readonly verified: 'exact' | 'structure-only';
}

/**
 * Converts one input; a QrisError about a payload comes out as a PayloadError naming its text. A
 * payload converted locally is answered synchronously (no promise per batch line).
 */
export type Converter = (input: ResolvedInput) => Converted | Promise<Converted>;

/** Local conversion, or local-first with the BAYAR GG fallback when `--remote` is given. */
export async function makeConverter(values: ParsedValues, env: NodeJS.ProcessEnv): Promise<Converter> {
  const options = convertOptions(values);
  if (bool(values, 'remote')) {
    const apiKey = env['BAYAR_API_KEY'];
    if (!apiKey) throw new UsageError('--remote needs the API key in the BAYAR_API_KEY environment variable.', 'convert');
    const remote = await import('../remote/index.js');
    const baseUrl = env['BAYAR_BASE_URL'];
    const client = remote.createBayarClient(baseUrl ? { apiKey, baseUrl } : { apiKey });
    return async (input) => {
      const call = async (): Promise<Converted> => {
        const r = await remote.convertWithFallback(input.kind === 'payload' ? input.payload : input.bytes, { ...options, client });
        return { payload: r.payload, source: r.source, verified: r.verified };
      };
      return input.kind === 'payload' ? aboutPayloadAsync(input.payload, call) : call();
    };
  }
  const local = (payload: string): Converted => ({ payload: aboutPayload(payload, () => toDynamic(payload, options)), source: 'local', verified: 'exact' });
  return (input) => (input.kind === 'payload' ? local(input.payload) : payloadFromInput(input).then(local));
}
