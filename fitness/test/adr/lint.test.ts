import { describe, expect, it } from 'vitest';
import { lintAdrs } from '../../src/adr/index.js';
import { resolveAdrPaths } from '../../src/index.js';
import { lintFixture, REPO_ROOT } from './helpers.js';

/** One collection per defect; each must produce exactly the finding listed, nothing more. */
const cases: Array<{ fixture: string; expected: Array<{ code: string; file: string; line: number; message: string; fix: string }> }> = [
  {
    fixture: 'duplicate-number',
    expected: [{ code: 'duplicate-number', file: 'adr/0002-second.md', line: 1, message: 'number 0002 is also used by 0002-second-again.md', fix: 'Renumber this record to 0003' }],
  },
  {
    fixture: 'number-gap',
    expected: [{ code: 'number-gap', file: 'adr/0003-third.md', line: 1, message: 'numbers jump to 0003: 0002 missing', fix: 'Renumber this record to 0002' }],
  },
  {
    fixture: 'title-mismatch',
    expected: [{ code: 'title-mismatch', file: 'adr/0001-use-postgres.md', line: 8, message: 'title "Use MySQL" does not match the file name slug "use-postgres"', fix: 'Rename the file to 0001-use-mysql.md' }],
  },
  {
    fixture: 'bad-file-name',
    expected: [{ code: 'file-name', file: 'adr/2-Second.md', line: 1, message: 'file name "2-Second.md" is not NNNN-kebab-title.md', fix: 'Rename it to NNNN-second.md' }],
  },
  {
    fixture: 'dangling-supersede',
    expected: [{ code: 'dangling-relation', file: 'adr/0001-first.md', line: 5, message: 'supersedes names ADR 0007, which does not exist', fix: 'Fix the number in supersedes' }],
  },
  {
    fixture: 'revisit-unknown-trigger',
    expected: [{ code: 'dangling-relation', file: 'adr/0002-revisit-one-process.md', line: 7, message: 'revisits names trigger "team-of-six", which 0001-keep-one-process.md does not declare', fix: 'Use one of its triggers: team-of-five.' }],
  },
  {
    fixture: 'missing-inverse',
    expected: [{ code: 'missing-inverse', file: 'adr/0002-second.md', line: 5, message: 'supersedes names 0001-first.md, but its superseded-by does not list 0002', fix: 'Add 2 to superseded-by in adr/0001-first.md' }],
  },
  {
    fixture: 'superseded-without-successor',
    expected: [{ code: 'superseded-without-successor', file: 'adr/0001-first.md', line: 2, message: 'status is superseded but superseded-by names no successor', fix: 'superseded-by' }],
  },
  {
    fixture: 'predecessor-not-superseded',
    expected: [{ code: 'predecessor-not-superseded', file: 'adr/0002-second.md', line: 5, message: 'this accepted record supersedes 0001-first.md, whose status is still accepted', fix: 'Set status: superseded in adr/0001-first.md' }],
  },
  {
    fixture: 'bad-status',
    expected: [{ code: 'invalid-status', file: 'adr/0001-first.md', line: 2, message: 'status "done" is not one of proposed, accepted, rejected, deprecated, superseded', fix: 'proposed | accepted' }],
  },
  {
    fixture: 'incomplete-trigger',
    expected: [{ code: 'incomplete-trigger', file: 'adr/0001-first.md', line: 10, message: 'trigger "sustained-dau": threshold.unit is missing', fix: 'unit: users/day' }],
  },
  {
    fixture: 'trigger-without-source',
    expected: [{ code: 'incomplete-trigger', file: 'adr/0001-first.md', line: 6, message: 'trigger "team-of-five": source is missing', fix: 'source: { scenario' }],
  },
  {
    fixture: 'unresolvable-source',
    expected: [
      { code: 'unresolved-source', file: 'adr/0001-first.md', line: 11, message: 'trigger "sustained-dau": load scenario "daily-users" has no scenario file', fix: 'dau, write-contention' },
      { code: 'unresolved-source', file: 'adr/0001-first.md', line: 17, message: 'trigger "hot-rows": load/scenarios/write-contention.json does not report metric hot_row_p95_ms', fix: 'hot_row_p99_ms, hot_row_ceiling_writes_per_s' },
      { code: 'unresolved-source', file: 'adr/0001-first.md', line: 23, message: 'trigger "team-of-five": repository measurement team-size yields active_engineers, not commit_authors', fix: 'Set metric: active_engineers' },
    ],
  },
  {
    fixture: 'duplicate-trigger-id',
    expected: [{ code: 'duplicate-trigger-id', file: 'adr/0002-second.md', line: 6, message: 'trigger id "sustained-dau" is already declared in 0001-first.md', fix: 'Keep each trigger in one record' }],
  },
  {
    fixture: 'unknown-confirmation',
    expected: [
      { code: 'unknown-confirmation', file: 'adr/0001-first.md', line: 5, message: 'confirmation "module-boundry" is not a fitness rule archfit knows', fix: 'module-boundary' },
      { code: 'unknown-confirmation', file: 'adr/0001-first.md', line: 5, message: 'confirmation "dau:p99": load/scenarios/dau.json has no threshold "p99"', fix: 'capacity' },
      { code: 'unknown-confirmation', file: 'adr/0001-first.md', line: 5, message: 'confirmation "checkout:p99" names load scenario "checkout", which has no scenario file', fix: '(dau)' },
    ],
  },
];

describe('adr lint: one fixture collection per defect', () => {
  it.each(cases)('$fixture', async ({ fixture, expected }) => {
    const result = await lintFixture(fixture);
    expect(result.unreadable).toEqual([]);
    expect(result.findings).toEqual(expected.map((e) => ({ ...e, fix: expect.stringContaining(e.fix) })));
  });

  it('reports unreadable YAML separately (exit 2), with its file and line, and still reads the other records', async () => {
    const result = await lintFixture('unreadable-yaml');
    expect(result.unreadable).toEqual([
      expect.objectContaining({ code: 'unreadable', file: 'adr/0002-second.md', line: 5, message: expect.stringContaining('front matter is not valid YAML') }),
    ]);
    expect(result.records.map((r) => r.fileName)).toEqual(['0001-first.md']);
  });

  it('finds nothing in a collection using every relation, a load-threshold confirmation and a trigger', async () => {
    const result = await lintFixture('clean');
    expect(result).toMatchObject({ findings: [], unreadable: [] });
    expect(result.records).toHaveLength(4);
  });
});

describe('the repository\'s own adr/', () => {
  it('lints clean against the registry\'s rule ids and the repository\'s load scenarios', async () => {
    const paths = await resolveAdrPaths({ root: REPO_ROOT });
    expect(paths.requireConfirmation).toBe(true);
    const result = await lintAdrs({ root: paths.root, dir: paths.dir, scenariosDir: paths.scenariosDir, requireConfirmation: true });
    expect(result.unreadable).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.records.length).toBeGreaterThanOrEqual(9);
  });

  it('declares each revisit trigger exactly once', async () => {
    const { records } = await lintAdrs({ root: REPO_ROOT, dir: 'adr', scenariosDir: 'load/scenarios' });
    const ids = records.flatMap((r) => ((r.data as { 'revisit-triggers'?: Array<{ id: string }> })['revisit-triggers'] ?? []).map((t) => t.id));
    expect(ids.sort()).toEqual(['capacity-below-plan', 'colocated-compute-latency', 'compliance-isolation', 'dau-near-capacity', 'divergent-module-cost', 'hot-auction-notification-lag', 'hot-row-bid-ceiling', 'hot-table-write-contention', 'per-feature-slo', 'receipt-scan-cpu-per-receipt', 'sustained-dau', 'team-of-five']);
  });
});
