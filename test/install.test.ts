/**
 * The install routes that build from source (issue 20, item 1), on a snapshot of this working tree
 * committed to a temporary git repository:
 * - `npm i git+file://<repo>` into an empty project. npm builds a git dependency only through its
 *   prepare script, in a temporary clone where it first installs the dev dependencies. Offline:
 *   those come from npm's cache, which the `npm ci` (or `npm install`) of this checkout filled.
 * - `npm pack` with its scripts: the tarball carries no prepare script (npm 11 would list it among
 *   the install scripts to review, though it never runs from a tarball), and package.json is left
 *   as it was.
 * - the prepare script's `--if-changed`: a second prepare on unchanged sources does not rebuild.
 * Nothing here touches this checkout's own dist/ or package.json.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const PAYLOAD = readFileSync(join(ROOT, 'fixtures', 'demo', 'static-qris.txt'), 'utf8').trim();
const NPM_TIMEOUT = 300_000;

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
}

function run(cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}, timeout = 60_000): Run {
  try {
    const stdout = execFileSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
    return { stdout, stderr: '', status: 0 };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; status?: number | null; message: string };
    return { stdout: x.stdout ?? '', stderr: x.stderr || x.message, status: x.status ?? null };
  }
}

/** Tracked and untracked-but-not-ignored files of this checkout, or undefined outside a git checkout. */
function sourceFiles(): string[] | undefined {
  const ls = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT);
  if (ls.status !== 0) return undefined;
  return ls.stdout.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).isFile());
}

const FILES = sourceFiles();
if (!FILES) console.warn('install.test.ts: skipped, this checkout is not a git work tree (`git ls-files` failed)');

describe.skipIf(!FILES)('install from source', () => {
  let tmp: string;
  let repo: string;

  beforeAll(() => {
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'qris-git-install-')));
    repo = join(tmp, 'repo');
    for (const f of FILES!) {
      mkdirSync(dirname(join(repo, f)), { recursive: true });
      copyFileSync(join(ROOT, f), join(repo, f));
    }
    expect(existsSync(join(repo, 'dist'))).toBe(false);
    const git = (...args: string[]): void => {
      const r = run('git', ['-c', 'user.name=qris-codec test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], repo);
      if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'snapshot of the working tree');
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  describe('npm i git+file://<repo> into an empty project (offline)', () => {
    let app: string;
    let installed: string;

    beforeAll(() => {
      app = join(tmp, 'app');
      mkdirSync(app);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
      const r = run('npm', ['i', pathToFileURL(repo).href.replace(/^file:/, 'git+file:'), '--offline', '--no-audit', '--no-fund'], app, {}, NPM_TIMEOUT);
      if (r.status !== 0) {
        const hint = /ENOTCACHED/.test(r.stderr)
          ? "\nnpm needs the dev dependencies of the git dependency (to run its prepare script) and npm's cache lacks some: run `npm ci` or `npm install` in this checkout once online, which fills the cache."
          : '';
        throw new Error(`npm i git+file:// failed (exit ${r.status}):\n${r.stderr.slice(-3000)}${hint}`);
      }
      installed = join(app, 'node_modules', 'qris-codec');
    }, NPM_TIMEOUT + 10_000);

    it('the installed package holds the built dist/ (ESM, CJS, CLI, cashier page) and no sources', () => {
      for (const f of [
        'dist/esm/index.js',
        'dist/esm/index.d.ts',
        'dist/cjs/index.js',
        'dist/cjs/package.json',
        'dist/esm/cli/main.js',
        'dist/pos/index.html',
      ]) {
        expect(existsSync(join(installed, f)), f).toBe(true);
      }
      expect(existsSync(join(installed, 'src'))).toBe(false);
      const deps = readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'));
      expect(deps).toEqual(['qris-codec']);
    });

    it('import("qris-codec") and require("qris-codec") work in the consumer project', () => {
      const esm = run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import('qris-codec'); const i = m.info(m.toDynamic(process.env.PAYLOAD, { amount: 25000 })); console.log(JSON.stringify({ dynamic: i.isDynamic, amount: i.amount.text }));`,
        ],
        app,
        { PAYLOAD },
      );
      expect(esm.stderr).toBe('');
      expect(JSON.parse(esm.stdout)).toEqual({ dynamic: true, amount: '25000' });
      const cjs = run(process.execPath, ['--input-type=commonjs', '-e', `console.log(require('qris-codec').validate(process.env.PAYLOAD).valid)`], app, {
        PAYLOAD,
      });
      expect(cjs.stdout.trim()).toBe('true');
    });

    it('npx qris --version runs the installed binary (npm offline: no fallback to the registry)', () => {
      expect(realpathSync(join(app, 'node_modules', '.bin', 'qris'))).toBe(join(installed, 'dist', 'esm', 'cli', 'main.js'));
      const r = run('npx', ['qris', '--version'], app, { npm_config_offline: 'true' });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(VERSION);
      const convert = run('npx', ['qris', 'convert', PAYLOAD, '--amount', '25000'], app, { npm_config_offline: 'true' });
      expect(convert.status).toBe(0);
      expect(convert.stdout).toContain('Warung Sayur Bu Sugeng');
      expect(convert.stdout).toMatch(/^Payload\s+000201010212\S*540525000/m);
    });
  });

  describe('npm pack and the prepare script in the repository copy', () => {
    let pkgBefore: string;

    beforeAll(() => {
      // The checkout's installed packages, linked one by one: node_modules/.cache (the build
      // stamp, the packed package.json's original) stays the copy's own.
      mkdirSync(join(repo, 'node_modules'));
      for (const name of readdirSync(join(ROOT, 'node_modules'))) {
        if (name !== '.cache') symlinkSync(join(ROOT, 'node_modules', name), join(repo, 'node_modules', name));
      }
      pkgBefore = readFileSync(join(repo, 'package.json'), 'utf8');
    });

    it(
      'npm pack builds, ships no prepare script in the tarball, and restores package.json',
      () => {
        const packDir = join(tmp, 'pack');
        mkdirSync(packDir);
        const r = run('npm', ['pack', '--pack-destination', packDir], repo, {}, NPM_TIMEOUT);
        expect(r.status, r.stderr).toBe(0);
        expect(readFileSync(join(repo, 'package.json'), 'utf8')).toBe(pkgBefore);
        expect(existsSync(join(repo, 'node_modules', '.cache', 'qris-codec', 'package.json.unpacked'))).toBe(false);
        const tgz = join(packDir, `qris-codec-${VERSION}.tgz`);
        const packed = JSON.parse(run('tar', ['-xOzf', tgz, 'package/package.json'], packDir).stdout) as {
          name: string;
          version: string;
          scripts: Record<string, string>;
        };
        expect(packed.name).toBe('qris-codec');
        expect(packed.version).toBe(VERSION);
        expect(packed.scripts).not.toHaveProperty('prepare');
        const listing = run('tar', ['-tzf', tgz], packDir).stdout.split('\n');
        expect(listing).toContain('package/dist/esm/index.js');
        expect(listing).toContain('package/dist/pos/index.html');
        // The repository itself keeps it: a clone's npm install and a git dependency build through it.
        expect((JSON.parse(pkgBefore) as { scripts: Record<string, string> }).scripts['prepare']).toMatch(/scripts\/build\.mjs/);
        // npm publish sends the package.json it re-reads after postpack: its tarball keeps prepare, so both agree.
        const publish = run(process.execPath, ['scripts/pack-manifest.mjs', 'strip'], repo, { npm_command: 'publish' });
        expect(publish.status, publish.stderr).toBe(0);
        expect(readFileSync(join(repo, 'package.json'), 'utf8')).toBe(pkgBefore);
        run(process.execPath, ['scripts/pack-manifest.mjs', 'restore'], repo);
      },
      NPM_TIMEOUT,
    );

    it('prepare (build --if-changed) skips a build of unchanged sources and rebuilds after an edit', () => {
      const index = join(repo, 'dist', 'esm', 'index.js');
      const first = run(process.execPath, ['scripts/build.mjs', '--if-changed'], repo, {}, 120_000); // built already when npm pack ran first
      expect(first.status, first.stderr).toBe(0);
      const before = statSync(index).mtimeMs;
      const again = run(process.execPath, ['scripts/build.mjs', '--if-changed'], repo);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/up to date/);
      expect(statSync(index).mtimeMs).toBe(before);
      writeFileSync(join(repo, 'src', 'index.ts'), readFileSync(join(repo, 'src', 'index.ts'), 'utf8') + '\nexport const installTestMarker = 1;\n');
      const rebuilt = run(process.execPath, ['scripts/build.mjs', '--if-changed'], repo, {}, 120_000);
      expect(rebuilt.status, rebuilt.stderr).toBe(0);
      expect(readFileSync(index, 'utf8')).toContain('installTestMarker');
    }, 250_000);
  });
});
