/**
 * The `qris` command says a code's kind and scheme in words, and `convert` uses Bank Indonesia's
 * per-payment limit as its default maximum (`--max-amount N|none` to change it). Runs the BUILT bin
 * (`npm run build` first), like test/cli-commands.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import examples from '../fixtures/kinds/transfer-examples.json' with { type: 'json' };
import promptpay from '../fixtures/overlays/promptpay.json' with { type: 'json' };

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'dist', 'esm', 'cli', 'main.js');
const STATIC = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
const T1 = examples.samples.find((s) => s.name === 'T1')!.payload;

function qris(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env['BAYAR_API_KEY'];
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kinds and schemes in words', () => {
  it('qris info on a transfer: the kind, the purpose and the beneficiary', () => {
    const r = qris(['info', T1]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Kind +transfer: a transfer to a person, not a shop/);
    expect(r.stdout).toMatch(/Purpose +DMCT \(domestic transfer\)/);
    expect(r.stdout).toMatch(/Beneficiary ID +200135/);
    expect(r.stdout).toMatch(/PAN +9360082230002001355 \(AstraPay\)/);
  });

  it('qris info on a payment and on a PromptPay code', () => {
    expect(qris(['info', STATIC]).stdout).toMatch(/Kind +payment: a payment to a shop \(merchant\)/);
    expect(qris(['info', promptpay.samples[1]!.payload]).stdout).toMatch(/Scheme +PromptPay \(Thailand\): targetType mobile, target 0066812223333/);
  });

  it('qris validate names a transfer and the overlay that ran; --profile takes an overlay by name', () => {
    expect(qris(['validate', T1]).stdout).toBe('valid: 0 error(s), 0 warning(s)\ntransfer (a transfer to a person, not a shop), rules: qris\n');
    expect(qris(['validate', promptpay.samples[1]!.payload]).stdout).toBe(
      'valid: 0 error(s), 0 warning(s)\npayment (a payment to a shop (merchant)), rules: promptpay\n',
    );
    const forced = qris(['validate', '--json', '--profile', 'emvco', promptpay.samples[1]!.payload]);
    expect(forced.code).toBe(1);
    expect(JSON.parse(forced.stdout)).toMatchObject({ valid: false, profile: 'emvco', kind: 'payment' });
    expect(qris(['validate', '--profile', 'thaiqr', T1]).code).toBe(2);
  });
});

describe('qris convert: the per-payment limit as the default maximum', () => {
  it('10000000 is accepted, 10000001 is BAD_AMOUNT by default', () => {
    expect(qris(['convert', STATIC, '--amount', '10000000', '--quiet']).code).toBe(0);
    const over = qris(['convert', STATIC, '--amount', '10000001', '--quiet']);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('BAD_AMOUNT');
    expect(over.stderr).toContain('10000000');
  });

  it('--max-amount raises it, none lifts it, a bad value is a usage error', () => {
    expect(qris(['convert', STATIC, '--amount', '25000000', '--max-amount', '25000000', '--quiet']).code).toBe(0);
    expect(qris(['convert', STATIC, '--amount', '250000000', '--max-amount', 'none', '--quiet']).code).toBe(0);
    expect(qris(['convert', STATIC, '--amount', '5000', '--max-amount', 'lots']).code).toBe(2);
  });

  it('an amountless transfer takes an amount; a fee on it is TRANSFER_FEE', () => {
    const r = qris(['convert', T1, '--amount', '150000', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('5406150000');
    const fee = qris(['convert', T1, '--amount', '150000', '--tip']);
    expect(fee.code).toBe(1);
    expect(fee.stderr).toContain('TRANSFER_FEE');
  });
});
