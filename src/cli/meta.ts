// ESM only: loaded by paths.ts when `__dirname` does not exist. The CommonJS build of the CLI never
// loads this file (its paths.ts uses __dirname), so `import.meta` only has to compile there.
import { fileURLToPath } from 'node:url';

// eslint-disable-next-line @typescript-eslint/ban-ts-comment -- @ts-expect-error would fail the ESM build, where the line compiles.
// @ts-ignore -- import.meta is an error under the CommonJS build's module setting; see above.
export const CLI_DIR: string = fileURLToPath(new URL('.', import.meta.url));
