import { KIND_WORDS, PROFILES, validate, type Profile } from '../../index.js';
import { describeValue } from '../../errors.js';
import { bool, str, UsageError, type Command } from '../args.js';
import { json, pointAt } from '../format.js';
import { payloadFromInput, resolveInput } from '../input.js';
import { aboutPayload } from '../payload-error.js';
import { looksLikeCpm, validateCpm } from '../cpm.js';

export const validateCommand: Command = {
  spec: {
    name: 'validate',
    summary: 'Check a QRIS code against the EMVCo and QRIS rules; list every problem found.',
    usage: ['validate <input> [--json] [--strict] [--profile emvco|qris|duitnow|promptpay|vietqr|paynow]'],
    details: 'Exit code 0 when valid, 1 when any error is found (with --strict: any warning too).',
    options: {
      json: { type: 'boolean', description: 'Print { valid, issues } as JSON.' },
      strict: { type: 'boolean', description: 'Treat warnings as errors for the exit code.' },
      profile: {
        type: 'string',
        value: 'NAME',
        description:
          'Rule set: emvco, qris, or a national overlay (duitnow, promptpay, vietqr, paynow). Default: qris when 58 = ID, the overlay 58 and the account GUID name, else emvco.',
      },
    },
    positionals: [1, 1],
    examples: ['qris validate 00020101021126570011ID.DANA.WWW...6304ABCD', 'qris validate --json sticker.png', 'qris validate - < payload.txt'],
  },
  async run({ values, positionals }, io) {
    const payload = await payloadFromInput(await resolveInput(positionals[0]!, 'validate', io.stdin));
    const profile = str(values, 'profile');
    // A payer's code (EMVCo CPM) is checked by the CPM rules; its offsets count decoded bytes.
    const cpm = looksLikeCpm(payload);
    const allowed: readonly string[] = cpm ? ['emvco', 'qris'] : PROFILES;
    if (profile !== undefined && !allowed.includes(profile))
      throw new UsageError(`--profile must be one of ${allowed.join(', ')}; got ${describeValue(profile)}.`, 'validate');
    const result = cpm
      ? validateCpm(payload, profile === undefined ? undefined : { profile: profile as 'emvco' | 'qris' })
      : aboutPayload(payload, () => (profile === undefined ? validate(payload) : validate(payload, { profile: profile as Profile })));
    const failed = !result.valid || (bool(values, 'strict') && result.issues.length > 0);
    if (bool(values, 'json')) {
      io.stdout.write(json({ ...(cpm ? { mode: 'cpm' } : {}), ...result, payload }));
    } else {
      const errors = result.issues.filter((i) => i.severity === 'error').length;
      const warnings = result.issues.length - errors;
      io.stdout.write(`${result.valid ? 'valid' : 'INVALID'}${cpm ? ' consumer-presented (CPM) code' : ''}: ${errors} error(s), ${warnings} warning(s)\n`);
      // Said in words whenever it is not the everyday case (a QRIS payment code).
      const kind = 'kind' in result ? result.kind : undefined;
      if (kind !== undefined && (kind !== 'payment' || (result.profile !== 'qris' && result.profile !== 'emvco')))
        io.stdout.write(`${kind} (${KIND_WORDS[kind]}), rules: ${result.profile}\n`);
      for (const issue of result.issues) {
        const where = [issue.tag !== undefined ? `tag ${issue.tag}` : '', issue.offset !== undefined ? `offset ${issue.offset}` : '']
          .filter(Boolean)
          .join(', ');
        const said = issue.message.includes('offset ') || issue.message.includes('tag ');
        io.stdout.write(`\n${issue.severity} ${issue.code}${where && !said ? ` (${where})` : ''}: ${issue.message}\n`);
        if (!cpm && issue.offset !== undefined && payload.length <= 4096) io.stdout.write(pointAt(payload, issue.offset));
      }
    }
    return failed ? 1 : 0;
  },
};
