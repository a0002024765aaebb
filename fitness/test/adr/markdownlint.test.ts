import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

const run = promisify(execFile);

// The same command as `npm run lint:md`, so the suite fails on what CI would.
it('adr/, docs/ and the README pass markdownlint with the committed config', async () => {
  const bin = path.join(REPO_ROOT, 'node_modules/.bin/markdownlint');
  const result = await run(bin, ['--config', '.markdownlint.jsonc', 'adr/**/*.md', 'docs/**/*.md', 'README.md'], { cwd: REPO_ROOT })
    .then(() => ({ code: 0, stderr: '' }))
    .catch((err: { code?: number; stderr?: string }) => ({ code: err.code ?? -1, stderr: err.stderr ?? '' }));
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
});
