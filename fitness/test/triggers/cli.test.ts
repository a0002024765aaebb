import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { adr, dauTrigger, makeEvidence, makeRepo } from './helpers.js';

const roots: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

async function triggers(root: string): Promise<{ code: number; json: any; stderr: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  const code = await main(['node', 'archfit', 'triggers', '--format', 'json', '--root', root]);
  vi.restoreAllMocks();
  return { code, json: out ? JSON.parse(out) : undefined, stderr: err };
}

const recent = new Date(Date.now() - 3_600_000);

describe('archfit triggers', () => {
  it('prints the agreed JSON and exits 1 when a trigger fired', async () => {
    const root = await makeRepo({
      adrs: [{ file: '0001-modular-monolith.md', frontMatter: adr([dauTrigger]) }],
      evidence: [{ doc: makeEvidence('dau', { dau_capacity: 4200 }, recent) }],
    });
    roots.push(root);
    const { code, json } = await triggers(root);
    expect(code).toBe(1);
    expect(json.triggers).toHaveLength(1);
    expect(json.triggers[0]).toMatchObject({ id: 'sustained-dau', adr: 1, status: 'fired', value: 4200, threshold: 10000 });
    expect(json.triggers[0].evidence).toMatch(/^load\/results\/dau-\d{8}T\d{6}\d{3}Z\.json$/);
  });

  it('exits 1 when a scenario trigger lacks evidence (fail closed), naming it', async () => {
    const root = await makeRepo({
      adrs: [
        {
          file: '0001-modular-monolith.md',
          frontMatter: adr([dauTrigger, { id: 'hot-rows', metric: 'hot_row_p99_ms', comparator: '>', threshold: { value: 250, unit: 'ms' }, source: { scenario: 'write-contention' } }]),
        },
      ],
      evidence: [{ doc: makeEvidence('dau', { dau_capacity: 250000 }, recent) }],
    });
    roots.push(root);
    const { code, json, stderr } = await triggers(root);
    expect(code).toBe(1);
    expect(json.triggers.map((t: any) => t.status)).toEqual(['armed', 'no-evidence']);
    expect(stderr).toMatch(/hot-rows of ADR 0001 has no fresh qualifying evidence/);
  });

  it('exits 1, as check does, and reports invalid when the newest evidence is malformed', async () => {
    const root = await makeRepo({
      adrs: [{ file: '0001-modular-monolith.md', frontMatter: adr([dauTrigger]) }],
      evidence: [{ name: 'dau-20991231T000000000Z.json', doc: '{"scenario": "dau", "metrics": {' }],
    });
    roots.push(root);
    const { code, json } = await triggers(root);
    expect(code).toBe(1);
    expect(json.triggers[0]).toMatchObject({ status: 'invalid', value: null, evidence: 'load/results/dau-20991231T000000000Z.json' });
  });

  it('exits 1, as check does, naming the ADR when a trigger is malformed', async () => {
    const root = await makeRepo({ adrs: [{ file: '0001-x.md', frontMatter: adr([{ ...dauTrigger, comparator: '!=' as '<' }]) }] });
    roots.push(root);
    const { code, stderr } = await triggers(root);
    expect(code).toBe(1);
    expect(stderr).toMatch(/adr\/0001-x\.md:\d+: revisit trigger #1 is malformed at \/comparator/);
  });

  it('measures repository triggers: compliance tags from the config and commit authors from git', async () => {
    const root = await makeRepo({
      adrs: [
        {
          file: '0001-x.md',
          frontMatter: adr([
            { id: 'compliance', metric: 'compliance_tagged_modules', comparator: '>=', threshold: { value: 1, unit: 'modules' }, source: { repository: 'compliance-isolation' } },
            { id: 'team', metric: 'active_engineers', comparator: '>=', threshold: { value: 2, unit: 'engineers' }, source: { repository: 'team-size' } },
          ]),
        },
      ],
      tags: { billing: ['compliance:pci'] },
    });
    roots.push(root);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
    git('init', '-q');
    for (const who of ['ann@example.com', 'bob@example.com', 'ANN@example.com']) {
      git('-c', `user.email=${who}`, '-c', 'user.name=x', 'commit', '-q', '--allow-empty', '-m', who);
    }
    const { code, json } = await triggers(root);
    expect(json.triggers).toEqual([
      expect.objectContaining({ id: 'compliance', status: 'fired', value: 1, evidence: 'repository:compliance-isolation' }),
      expect.objectContaining({ id: 'team', status: 'fired', value: 2, evidence: 'repository:team-size' }),
    ]);
    expect(code).toBe(1);
  });
});
