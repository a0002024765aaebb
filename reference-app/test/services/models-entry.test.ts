import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('../../services/models/main.ts', import.meta.url));

function run(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const { MS_MODELS_TOKEN: _drop, ...inherited } = process.env;
    execFile(process.execPath, ['--import', 'tsx', ENTRY], { env: { ...inherited, ...env }, timeout: 20_000 }, (error, _out, stderr) =>
      resolve({ code: error ? (error.code as number | null) : 0, stderr }),
    );
  });
}

describe('models service entry point (npm run models)', () => {
  it('refuses to start without a token, exit code 2, naming the variable', async () => {
    const { code, stderr } = await run({});
    expect(code).toBe(2);
    expect(stderr).toContain('MS_MODELS_TOKEN is not set');
  });

  it('refuses a port that is not a port, exit code 2', async () => {
    const { code, stderr } = await run({ MS_MODELS_TOKEN: 't', MODELS_PORT: 'eighty' });
    expect(code).toBe(2);
    expect(stderr).toContain('MODELS_PORT="eighty" is not a port number');
  });

  it('refuses an OCR worker count or preprocessing step it cannot honour, exit code 2, naming the variable', async () => {
    const workers = await run({ MS_MODELS_TOKEN: 't', MODELS_PORT: '0', MODELS_OCR_WORKERS: '0' });
    expect(workers.code).toBe(2);
    expect(workers.stderr).toContain('MODELS_OCR_WORKERS="0" must be an integer from 1 to 16');
    const steps = await run({ MS_MODELS_TOKEN: 't', MODELS_PORT: '0', MODELS_OCR_PREPROCESS: 'grayscale,sharpen' });
    expect(steps.code).toBe(2);
    expect(steps.stderr).toContain('MODELS_OCR_PREPROCESS: unknown preprocessing step(s) sharpen');
  });
});
