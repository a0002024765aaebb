import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintAdrs, STABLE_RULE_IDS } from '../../src/adr/index.js';

/**
 * The checks on what a record says, not only on its front matter: required sections (MADR's
 * or the repository's template), typed links beyond supersede, machine confirmations,
 * thresholds restated from a scenario, and trigger state written as prose.
 */

const MADR_BODY = `
## Context and Problem Statement

Why we decide.

## Considered Options

- One.
- Two.

## Decision Outcome

Chosen option: "One".
`;

async function repo(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'archfit-adr-content-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return root;
}

const front = (extra = '', status = 'proposed') => `---\nstatus: ${status}\ndate: 2026-01-01\ndecision-makers: [architect]\n${extra}---\n`;
const lint = (root: string) => lintAdrs({ root, dir: 'adr', scenariosDir: 'load/scenarios', ruleIds: STABLE_RULE_IDS });
const codes = async (root: string) => (await lint(root)).findings.map((f) => `${f.code} ${f.file}:${f.line}`);

describe('required sections', () => {
  it('catches a record whose Decision Outcome was deleted, and one with every section deleted', async () => {
    const root = await repo({
      'adr/0001-whole.md': `${front()}\n# Whole\n${MADR_BODY}`,
      'adr/0002-no-outcome.md': `${front()}\n# No outcome\n${MADR_BODY.replace(/## Decision Outcome[\s\S]*$/, '')}`,
      'adr/0003-no-sections.md': `${front()}\n# No sections\n\nJust prose, no headings.\n`,
    });
    const result = await lint(root);
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'missing-section', file: 'adr/0002-no-outcome.md', line: 7, message: 'the record has no "## Decision Outcome" section' }),
      expect.objectContaining({
        code: 'missing-section',
        file: 'adr/0003-no-sections.md',
        message: 'the record has no "## Context and Problem Statement", "## Considered Options", "## Decision Outcome" sections',
      }),
    ]);
  });

  it('honours adr/template.md: its non-optional level-2 headings become the required sections', async () => {
    const template = `# NUMBER. TITLE\n\n## Status\n\nSTATUS\n\n## Context\n\n## Decision\n\n## Consequences\n\n## Notes\n\n<!-- This is an optional element. -->\n`;
    const nygard = (title: string, drop?: string) =>
      `${front()}\n# ${title}\n\n${['Status', 'Context', 'Decision', 'Consequences'].filter((s) => s !== drop).map((s) => `## ${s}\n\nText.\n`).join('\n')}`;
    const root = await repo({
      'adr/template.md': template,
      'adr/0001-nygard-record.md': nygard('Nygard record'),
      'adr/0002-without-consequences.md': nygard('Without consequences', 'Consequences'),
    });
    // The template is not a record, and MADR's sections are not asked for.
    expect(await codes(root)).toEqual(['missing-section adr/0002-without-consequences.md:7']);
    expect((await lint(root)).records.map((r) => r.fileName)).toEqual(['0001-nygard-record.md', '0002-without-consequences.md']);
  });
});

describe('amends and clarifies', () => {
  it('checks both ends of each link type', async () => {
    const root = await repo({
      'adr/0001-base.md': `${front('amended-by: [2]\n')}\n# Base\n${MADR_BODY}`,
      'adr/0002-amendment.md': `${front('amends: [1]\n')}\n# Amendment\n${MADR_BODY}`,
      'adr/0003-clarification.md': `${front('clarifies: [1]\n')}\n# Clarification\n${MADR_BODY}`,
    });
    const findings = (await lint(root)).findings;
    expect(findings).toEqual([
      expect.objectContaining({ code: 'missing-inverse', file: 'adr/0003-clarification.md', line: 5, message: 'clarifies names 0001-base.md, but its clarified-by does not list 0003' }),
    ]);
  });
});

describe('confirmations', () => {
  it('an accepted record needs one; test:<path> must name an existing file', async () => {
    const root = await repo({
      'adr/0001-unconfirmed.md': `${front('', 'accepted')}\n# Unconfirmed\n${MADR_BODY}`,
      'adr/0002-tested.md': `${front('confirmation: ["test:test/real.test.ts", "test:test/gone.test.ts"]\n', 'accepted')}\n# Tested\n${MADR_BODY}`,
      'test/real.test.ts': '// a test\n',
    });
    // Off by default (MADR makes Confirmation optional); a repository turns it on in its config.
    expect((await lint(root)).findings.map((f) => f.code)).toEqual(['unknown-confirmation']);
    const findings = (await lintAdrs({ root, dir: 'adr', scenariosDir: 'load/scenarios', ruleIds: STABLE_RULE_IDS, requireConfirmation: true })).findings;
    expect(findings.map((f) => [f.code, f.file, f.message])).toEqual([
      ['missing-confirmation', 'adr/0001-unconfirmed.md', 'an accepted record names no machine confirmation'],
      ['unknown-confirmation', 'adr/0002-tested.md', 'confirmation "test:test/gone.test.ts" names a test file that does not exist'],
    ]);
  });
});

describe('one number per threshold', () => {
  const scenario = JSON.stringify({
    id: 'dau',
    thresholds: [{ id: 'capacity', metric: 'dau_capacity', comparator: '>=', value: 10000, unit: 'users/day' }],
  });
  const trigger = (id: string, extra: string) => `revisit-triggers:\n  - id: ${id}\n    description: Test trigger.\n${extra}`;

  it('fails when a trigger restates a scenario threshold with another number (same metric or agrees-with)', async () => {
    const root = await repo({
      'load/scenarios/dau.json': scenario,
      'adr/0001-triggers.md': `${front(
        trigger('capacity-short', '    metric: dau_capacity\n    comparator: "<"\n    threshold: { value: 12000, unit: users/day }\n    source: { scenario: dau }\n') +
          '  - id: observed-dau\n    description: Observed.\n    metric: observed_dau\n    comparator: ">="\n    threshold: { value: 9000, unit: users/day }\n    sustain: 7d\n    source: { observed: daily-active-users }\n    agrees-with: dau:capacity\n',
      )}\n# Triggers\n${MADR_BODY}`,
    });
    const findings = (await lint(root)).findings;
    expect(findings.map((f) => [f.code, f.line, f.message])).toEqual([
      ['threshold-disagrees', 10, 'trigger "capacity-short" draws dau_capacity at 12000, but load/scenarios/dau.json threshold "capacity" draws it at 10000'],
      ['threshold-disagrees', 19, 'trigger "observed-dau" says 9000, but dau:capacity says 10000'],
    ]);
  });

  it('passes when they agree', async () => {
    const root = await repo({
      'load/scenarios/dau.json': scenario,
      'adr/0001-triggers.md': `${front(
        '  - id: observed-dau\n    description: Observed.\n    metric: observed_dau\n    comparator: ">="\n    threshold: { value: 10000, unit: users/day }\n    sustain: 7d\n    source: { observed: daily-active-users }\n    agrees-with: dau:capacity\n'.replace(/^/, 'revisit-triggers:\n'),
      )}\n# Triggers\n${MADR_BODY}`,
    });
    expect((await lint(root)).findings).toEqual([]);
  });
});

describe('trigger state in prose', () => {
  it('flags "none of the triggers is close": the state is computed by archfit triggers, not written', async () => {
    const root = await repo({ 'adr/0001-claim.md': `${front()}\n# Claim\n${MADR_BODY}\nNone of the triggers is close.\n` });
    expect(await codes(root)).toEqual(['hand-written-trigger-state adr/0001-claim.md:22']);
  });
});

describe('date-slug file names', () => {
  it('are accepted with naming: date, and still checked against the title', async () => {
    const root = await repo({
      'adr/2026-01-05-use-postgres.md': `${front()}\n# Use Postgres\n${MADR_BODY}`,
      'adr/2026-02-01-use-queues.md': `${front()}\n# Use topics\n${MADR_BODY}`,
    });
    // Without it, the year reads as a record number, and two records share it.
    expect((await lint(root)).findings.map((f) => f.code)).toContain('duplicate-number');
    const dated = await lintAdrs({ root, dir: 'adr', scenariosDir: 'load/scenarios', ruleIds: STABLE_RULE_IDS, naming: 'date' });
    expect(dated.findings.map((f) => [f.code, f.file, f.fix])).toEqual([
      ['title-mismatch', 'adr/2026-02-01-use-queues.md', 'Rename the file to 2026-02-01-use-topics.md or change the heading to match the file name.'],
    ]);
  });
});
