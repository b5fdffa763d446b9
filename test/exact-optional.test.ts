/**
 * Strict projects (`exactOptionalPropertyTypes`): every optional option of the public API accepts
 * `undefined` in its type (`billNumber?: string | undefined`), and at run time an option passed as
 * `undefined` behaves exactly like one left out. The type side is checked here on the source (every
 * optional property of the public option types names `undefined`) and by `tsc` on this file, which
 * is compiled with `exactOptionalPropertyTypes: true`.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { build, formatAmount, parse, toDynamic, toStatic, validate, type BuildFields } from '../src/index.js';
import { decodeImage, toPng, toSvg } from '../src/image/index.js';
import { convertWithFallback, createBayarClient, verifyConverted } from '../src/remote/index.js';

const STATIC = readFileSync(new URL('../fixtures/demo/static-qris.txt', import.meta.url), 'utf8').trim();

/** The public option types (inputs), by the file that declares them. */
const OPTION_TYPES: Readonly<Record<string, readonly string[]>> = {
  'src/codec/parse.ts': ['ParseOptions'],
  'src/qris/convert.ts': ['ToDynamicOptions', 'ToStaticOptions', 'AdditionalDataEdits'],
  'src/qris/fee.ts': ['FeeOption'],
  'src/qris/amount.ts': ['AmountFormat', 'FormatAmountOptions'],
  'src/qris/validate.ts': ['ValidateOptions'],
  'src/qris/build.ts': ['BuildFields', 'BuildAccount', 'BuildTransfer'],
  'src/image/decode.ts': ['DecodeImageOptions'],
  'src/image/decode-browser.ts': ['BrowserDecodeImageOptions'],
  'src/image/input.ts': ['FetchOptions'],
  'src/image/encode.ts': ['RenderOptions', 'DataUrlOptions', 'TerminalOptions'],
  'src/remote/client.ts': ['BayarClientOptions', 'ConvertRequest', 'CallOptions'],
  'src/remote/verify.ts': ['ExpectedMerchant', 'VerifyOptions', 'RequestedChanges'],
  'src/remote/fallback.ts': ['FallbackOptions'],
  'src/cpm/build.ts': ['BuildCpmOptions'],
  'src/cpm/info.ts': ['CpmInfoOptions'],
  'src/cpm/validate.ts': ['ValidateCpmOptions'],
  'src/errors.ts': ['QrisErrorDetails'],
  'src/remote/errors.ts': ['RemoteErrorDetails'],
};

/** `name?: T` members (and mapped `[K in X]?: T`) of the named declarations whose type lacks `undefined`. */
function optionalWithoutUndefined(file: string, names: readonly string[]): string[] {
  const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (node: ts.Node, owner: string): void => {
    if ((ts.isPropertySignature(node) || ts.isMappedTypeNode(node)) && node.questionToken && node.type) {
      const t = node.type;
      const open = t.kind === ts.SyntaxKind.UnknownKeyword || t.kind === ts.SyntaxKind.AnyKeyword;
      const named = ts.isUnionTypeNode(t) && t.types.some((x) => x.kind === ts.SyntaxKind.UndefinedKeyword);
      if (!open && !named) out.push(`${owner}.${ts.isPropertySignature(node) ? node.name.getText(sf) : '[mapped]'}`);
    }
    ts.forEachChild(node, (n) => visit(n, owner));
  };
  sf.forEachChild((n) => {
    if ((ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) && names.includes(n.name.text)) {
      seen.add(n.name.text);
      visit(n, n.name.text);
    }
  });
  for (const n of names) if (!seen.has(n)) out.push(`${n} (not declared in ${file})`);
  return out;
}

describe('types: every optional option names undefined', () => {
  it.each(Object.entries(OPTION_TYPES))('%s', (file, names) => {
    expect(optionalWithoutUndefined(file, names)).toEqual([]);
  });
});

describe('run time: an option passed as undefined is an option left out', () => {
  const nothing = undefined;

  it('core: parse, validate, toDynamic, toStatic, formatAmount, build', () => {
    expect(parse(STATIC, { verifyCrc: nothing }).payload).toBe(STATIC);
    expect(validate(STATIC, { profile: nothing })).toEqual(validate(STATIC));
    const dynamic = toDynamic(STATIC, {
      amount: 25000,
      decimals: nothing,
      maxAmount: nothing,
      billNumber: nothing,
      referenceLabel: nothing,
      terminalLabel: nothing,
      fee: nothing,
      replaceAmount: nothing,
    });
    expect(dynamic).toBe(toDynamic(STATIC, { amount: 25000 }));
    expect(toStatic(dynamic, { removeFees: nothing })).toBe(toStatic(dynamic));
    expect(formatAmount('25000', { decimals: nothing, maxAmount: nothing, field: nothing })).toBe('25000');
    const fields: BuildFields = {
      merchantName: 'TOKO',
      merchantCity: 'DEMAK',
      mcc: '5812',
      accounts: [{ guid: 'ID.DANA.WWW', pan: '936009153022591481', tag: nothing, merchantId: nothing, criteria: nothing }],
      nmid: 'ID1020017611473',
    };
    const loose: BuildFields = {
      ...fields,
      postalCode: nothing,
      countryCode: nothing,
      currency: nothing,
      merchantCriteria: nothing,
      nationalGuid: nothing,
      amount: nothing,
      fee: nothing,
      additionalData: { billNumber: nothing, referenceLabel: 'INV-1' },
      language: nothing,
      decimals: nothing,
      maxAmount: nothing,
    };
    expect(build(loose)).toBe(build({ ...fields, additionalData: { referenceLabel: 'INV-1' } }));
  });

  it('image: toPng, toSvg, decodeImage', async () => {
    const renderOptions = { scale: nothing, size: nothing, margin: nothing, errorCorrectionLevel: nothing, errorCorrection: nothing, color: nothing };
    const png = toPng(STATIC, renderOptions);
    expect(png).toEqual(toPng(STATIC));
    expect(toSvg(STATIC, { ...renderOptions, color: { dark: nothing, light: nothing } })).toBe(toSvg(STATIC));
    const decoded = await decodeImage(png, {
      engine: nothing,
      maxBytes: nothing,
      maxPixels: nothing,
      maxDecodedBytes: nothing,
      timeBudgetMs: nothing,
      strictCrc: nothing,
      fetch: nothing,
      all: nothing,
      allowUrl: nothing,
      thread: nothing,
    });
    expect(decoded.payload).toBe(STATIC);
  });

  it('remote: createBayarClient, convert, verifyConverted, convertWithFallback', async () => {
    const dynamic = toDynamic(STATIC, { amount: 25000 });
    const fetch: typeof globalThis.fetch = () => Promise.resolve(Response.json({ success: true, qris: dynamic }));
    const client = createBayarClient({
      apiKey: 'exact-optional-key',
      fetch,
      baseUrl: nothing,
      timeoutMs: nothing,
      retries: nothing,
      retryDelayMs: nothing,
      maxRetryDelayMs: nothing,
      maxResponseBytes: nothing,
    });
    const remote = await client.convert({ qris: STATIC, nominal: 25000, signal: nothing, expect: nothing });
    expect(remote).toMatchObject({ payload: dynamic, verified: 'exact' });
    expect(verifyConverted(dynamic, { nominal: '25000', original: nothing, requested: nothing, expect: nothing, redact: nothing }).payload).toBe(dynamic);
    const local = await convertWithFallback(STATIC, {
      amount: 25000,
      client: nothing,
      signal: nothing,
      imageOptions: nothing,
      decodeImage: nothing,
      expect: nothing,
    });
    expect(local.payload).toBe(dynamic);
  });
});
