// ESLint flat config. Lints TypeScript with typescript-eslint's type-aware recommended set (the
// whole tree lints in well under a minute), forbids import cycles in src/, and leaves every
// layout question to Prettier (eslint-config-prettier comes last and turns style rules off).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    // Build output, installed packages, data, and screenshots: nothing here is source.
    ignores: ['dist/', 'node_modules/', 'coverage/', 'out/', 'docs/', 'fixtures/**/*.json'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // One program per tsconfig (tsconfig.json, test/browser/tsconfig.json) instead of a hand-kept list.
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A forgotten await in the remote client or the server drops a rejection on the floor.
      '@typescript-eslint/no-floating-promises': 'error',
      // Type-only imports vanish from the JS output, so the core's runtime graph is what it looks like.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // `_`-prefixed parameters are the codebase's marker for "required by the signature, unused".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Forwarding what was caught, or an AbortSignal's reason, is rethrowing; only invented
      // non-Error rejections are reported.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Parse imported .ts files to follow their imports (without this the cycle check sees no edges).
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // Sources import `./x.js` and mean `./x.ts` (NodeNext), so map the extension back.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      // A cycle makes load order decide which binding is still undefined; keep the module graph a tree.
      'import-x/no-cycle': 'error',
      // The layers (docs/ARCHITECTURE.md): arrows point down only, apps -> adapters -> qris -> codec ->
      // errors. A type import counts as an arrow.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/errors.ts', from: './src', except: ['./errors.ts'], message: 'errors.ts is the bottom layer: it imports nothing.' },
            {
              target: './src/codec',
              from: ['./src/qris', './src/io', './src/image', './src/remote', './src/cli', './src/pos', './src/index.ts'],
              message: 'The codec imports only errors.ts.',
            },
            {
              target: './src/qris',
              from: ['./src/io', './src/image', './src/remote', './src/cli', './src/pos', './src/index.ts'],
              message: 'QRIS meaning imports only the codec and errors.ts.',
            },
            {
              target: './src/io',
              from: ['./src/qris', './src/image', './src/remote', './src/cli', './src/pos', './src/index.ts'],
              message: 'io/ helpers serve the adapters; they know no QRIS.',
            },
            {
              target: './src/cpm',
              from: ['./src/codec', './src/io', './src/image', './src/remote', './src/cli', './src/pos', './src/index.ts'],
              message: 'qris-codec/cpm is a sibling of the codec: it imports errors.ts and a few read-only qris/ tables only.',
            },
            {
              target: './src/cpm',
              from: './src/qris',
              except: ['./nns.ts', './acquirers.ts', './mask.ts'],
              message: 'From qris/, cpm reads only the NNS and acquirer tables and maskPan.',
            },
            {
              target: ['./src/codec', './src/qris', './src/index.ts'],
              from: './src/cpm',
              message: 'The core never imports qris-codec/cpm (it sniffs the hQVDUFY prefix itself).',
            },
            { target: ['./src/image', './src/remote'], from: ['./src/cli', './src/pos'], message: 'Adapters never import the applications.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests feed deliberately ill-typed values (a number where a string belongs, a revoked Proxy)
      // to prove the runtime guards; `any` is how they get past the compiler.
      '@typescript-eslint/no-explicit-any': 'off',
      // Fakes (a DNS lookup, a socket connect, a fetch) implement async interfaces with answers they
      // already have; `async` is the honest shape of the interface, not a missing await.
      '@typescript-eslint/require-await': 'off',
      // vitest's asymmetric matchers (expect.any, expect.objectContaining) are typed `any` by design.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // The browser page and worker import 'qris-codec' by name, whose types are the built dist/;
    // tsc checks them against the build in test/browser.test.ts, so lint them without a type program.
    files: ['test/browser/**/*.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // The browser example imports 'qris-codec' by name (types from the built dist/); tsc checks it
    // against the build in test/examples.test.ts, so lint it without a type program.
    files: ['examples/**/*.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Plain JavaScript: build scripts, the service worker, the bundler smoke page. No type program.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  // The few host globals each kind of plain script uses, listed rather than pulling in a globals package.
  { files: ['scripts/**/*.mjs', 'eslint.config.js'], languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } } },
  {
    files: ['examples/**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly', Response: 'readonly' } },
  },
  {
    files: ['src/pos/sw.js'],
    languageOptions: { globals: { self: 'readonly', caches: 'readonly', fetch: 'readonly', URL: 'readonly', Response: 'readonly' } },
  },
  { files: ['test/browser/**/*.js'], languageOptions: { globals: { Blob: 'readonly' } } },
  prettier,
);
