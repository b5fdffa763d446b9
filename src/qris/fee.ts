/**
 * The tip or convenience fee (55, with 56 or 57): one encoder for `build` and `toDynamic`, so the
 * two can never write a fee differently.
 */
import { formatAmountAs, formatPercent } from './amount.js';
import { describeValue, QrisError } from '../errors.js';
import { TIP_INDICATOR } from './spec.js';

/** Tip or convenience fee: 55 `01` (payer enters a tip), `02` + 56 (fixed), `03` + 57 (percent). */
export type FeeOption =
  { readonly type: 'prompt' } | { readonly type: 'fixed'; readonly value: number | string } | { readonly type: 'percent'; readonly value: number | string };

/** The data objects of a fee: 55's tip indicator and, for a fixed or percentage fee, 56 or 57. */
export interface FeeObjects {
  readonly indicator: string;
  readonly valueId?: '56' | '57';
  readonly value?: string;
}

/**
 * Checks a fee option and gives its objects; BAD_FEE for anything else. A fixed fee is an amount
 * in the same `decimals` as 54. Reads `type` and `value` once each.
 */
export function encodeFee(fee: unknown, decimals: 0 | 2 | undefined): FeeObjects {
  if (fee === null || typeof fee !== 'object') throw new QrisError('BAD_FEE', 'fee must be { type: "prompt" | "fixed" | "percent", value? }.', { tag: '55' });
  const type: unknown = (fee as { type?: unknown }).type;
  switch (type) {
    case 'prompt':
      return { indicator: TIP_INDICATOR.prompt };
    case 'fixed': {
      const value = formatAmountAs((fee as { value?: unknown }).value, decimals === undefined ? {} : { decimals }, 'fixed fee', 'BAD_FEE', '56');
      return { indicator: TIP_INDICATOR.fixed, valueId: '56', value };
    }
    case 'percent':
      return { indicator: TIP_INDICATOR.percent, valueId: '57', value: formatPercent((fee as { value?: unknown }).value) };
    default:
      throw new QrisError('BAD_FEE', `Unknown fee type ${describeValue(type)}; use "prompt", "fixed" or "percent".`, { tag: '55' });
  }
}
