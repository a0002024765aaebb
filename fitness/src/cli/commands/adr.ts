import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { checkAgainstRef, GitRefError } from '../../adr/against.js';
import { loadAdrCollection } from '../../adr/collection.js';
import { AdrCreateError, createAdr } from '../../adr/create.js';
import { EditorError, openInEditor } from '../../adr/editor.js';
import { importAdrTools } from '../../adr/import.js';
import { initAdrs } from '../../adr/init.js';
import { lintAdrs, type AdrFinding } from '../../adr/lint.js';
import { rules } from '../../rules/index.js';
import { AdrReadError } from '../../adr/parse.js';
import { resolveAdrPaths } from '../../adr/paths.js';
import { renderGraph, renderIndex, renderList } from '../../adr/views.js';
import { findConfigFile, loadConfig } from '../../config/load.js';
import { ConfigError } from '../../config/errors.js';
import { replaceTriggerStatus, renderTriggerStatus } from '../../triggers/status-table.js';
import { DEFAULT_EVIDENCE_POLICY, definitionHash, disqualifications, evaluateTriggers } from '../../triggers/index.js';
import { triggerSettingsFromConfig } from '../../triggers/settings.js';
import { criteriaVerdict, evaluateCriteria } from '../../triggers/criteria.js';
import { EXIT, type SetExit } from '../exit-codes.js';
import { registerAdrRevisitCommand } from './adr-revisit.js';

interface PathOptions {
  root?: string;
  dir?: string;
  scenarios?: string;
}

function withPathOptions(cmd: Command): Command {
  return cmd
    .option('--root <path>', 'repository root (default: current directory)')
    .option('--dir <path>', 'ADR directory, relative to the root (default: the config\'s adr.dir, else adr)')
    .option('--scenarios <path>', 'load scenarios directory (default: the config\'s load.scenarios, else load/scenarios)');
}

function printFindings(findings: AdrFinding[]): void {
  for (const f of findings) {
    process.stdout.write(`${f.file}:${f.line}: [${f.code}] ${f.message}\n    fix: ${f.fix}\n`);
  }
}

/** Loads the collection for the read-only views; an unreadable directory is exit 2. */
async function readRecords(opts: PathOptions, setExit: SetExit) {
  const paths = await resolveAdrPaths({ ...opts, rules });
  try {
    const collection = await loadAdrCollection(paths.root, paths.dir);
    for (const e of collection.unreadable) process.stderr.write(`archfit adr: ${e.message}\n`);
    if (collection.unreadable.length > 0) setExit(EXIT.usage);
    return { paths, records: collection.records };
  } catch (err) {
    if (err instanceof AdrReadError) {
      process.stderr.write(`archfit adr: ${err.message}\n`);
      setExit(EXIT.usage);
      return undefined;
    }
    throw err;
  }
}

/** `archfit adr new|list|index|graph|lint`: a thin shell over src/adr/. */
export function registerAdrCommand(program: Command, setExit: SetExit): Command {
  const adr = program.command('adr').description('architecture decision records as data: create, list, index, graph, lint');

  withPathOptions(adr.command('new').argument('<title>', 'the decision, as a short phrase'))
    .description('write the next numbered record from the MADR 4 template, status proposed')
    .option('--supersedes <number>', 'number of the record this one replaces (both records are updated)')
    .option('--date <yyyy-mm-dd>', 'date to write (default: today, UTC)')
    .option('--decision-maker <name...>', 'who decides (default: git user.name)')
    .option('--edit', 'open the new record in $VISUAL or $EDITOR and wait for it to close')
    .action(async (title: string, opts: PathOptions & { supersedes?: string; date?: string; decisionMaker?: string[]; edit?: boolean }) => {
      const supersedes = opts.supersedes === undefined ? undefined : Number(opts.supersedes);
      if (supersedes !== undefined && !(Number.isInteger(supersedes) && supersedes > 0)) {
        process.stderr.write(`archfit adr new: --supersedes takes a record number, got "${opts.supersedes}"\n`);
        setExit(EXIT.usage);
        return;
      }
      if (opts.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) {
        process.stderr.write(`archfit adr new: --date takes YYYY-MM-DD, got "${opts.date}"\n`);
        setExit(EXIT.usage);
        return;
      }
      const paths = await resolveAdrPaths({ ...opts, rules });
      try {
        const created = await createAdr({ root: paths.root, dir: paths.dir, title, supersedes, date: opts.date, decisionMakers: opts.decisionMaker, naming: paths.naming });
        process.stdout.write(`${created.file}\n`);
        for (const file of created.updated) process.stdout.write(`updated ${file}\n`);
        if (opts.edit) await openInEditor(path.resolve(paths.root, created.file));
      } catch (err) {
        if (!(err instanceof AdrCreateError) && !(err instanceof EditorError)) throw err;
        process.stderr.write(`archfit adr new: ${err.message}\n`);
        setExit(EXIT.usage);
      }
    });

  withPathOptions(adr.command('init'))
    .description('start a decision log: the directory, record 0001 and the index (--template nygard also writes template.md)')
    .option('--template <kind>', 'madr (default) or nygard', 'madr')
    .option('--date <yyyy-mm-dd>', 'date of the first record (default: today, UTC)')
    .option('--decision-maker <name...>', 'who decides')
    .action(async (opts: PathOptions & { template: string; date?: string; decisionMaker?: string[] }) => {
      if (opts.template !== 'madr' && opts.template !== 'nygard') {
        process.stderr.write(`archfit adr init: --template takes madr or nygard, got "${opts.template}"\n`);
        setExit(EXIT.usage);
        return;
      }
      const paths = await resolveAdrPaths({ ...opts, rules });
      try {
        const done = await initAdrs({ root: paths.root, dir: paths.dir, template: opts.template, date: opts.date, decisionMakers: opts.decisionMaker });
        for (const file of done.written) process.stdout.write(`${file}\n`);
      } catch (err) {
        if (!(err instanceof AdrCreateError)) throw err;
        process.stderr.write(`archfit adr init: ${err.message}\n`);
        setExit(EXIT.usage);
      }
    });

  withPathOptions(adr.command('import'))
    .description('convert an adr-tools (Nygard) collection into records with front matter; links become typed relations')
    .option('--from <path>', 'the adr-tools directory (default: .adr-dir, else doc/adr)')
    .option('--decision-maker <name...>', 'who the imported records name as decision-makers')
    .option('--date <yyyy-mm-dd>', 'date for records without a Date line (default: today, UTC)')
    .action(async (opts: PathOptions & { from?: string; decisionMaker?: string[]; date?: string }) => {
      const paths = await resolveAdrPaths({ ...opts, rules });
      try {
        const result = await importAdrTools({ root: paths.root, from: opts.from, dir: paths.dir, decisionMakers: opts.decisionMaker, fallbackDate: opts.date });
        for (const file of result.written) process.stdout.write(`${file}\n`);
        for (const note of result.notes) process.stderr.write(`note: ${note}\n`);
        process.stdout.write(`imported ${result.records.length} records from ${result.from}; run \`archfit adr lint\` and \`archfit adr index\`\n`);
      } catch (err) {
        if (!(err instanceof AdrCreateError)) throw err;
        process.stderr.write(`archfit adr import: ${err.message}\n`);
        setExit(EXIT.usage);
      }
    });

  withPathOptions(adr.command('list'))
    .description('number, status, date and title of every record')
    .action(async (opts: PathOptions) => {
      const read = await readRecords(opts, setExit);
      if (read && read.records.length > 0) process.stdout.write(`${renderList(read.records)}\n`);
    });

  withPathOptions(adr.command('index'))
    .description('write <adr dir>/README.md: a table of number, title, status, date and triggers')
    .option('--check', 'write nothing; exit 1 when the committed index is stale')
    .action(async (opts: PathOptions & { check?: boolean }) => {
      const read = await readRecords(opts, setExit);
      if (!read) return;
      const file = path.join(read.paths.root, read.paths.dir, 'README.md');
      const text = renderIndex(read.records);
      if (opts.check) {
        const current = await readFile(file, 'utf8').catch(() => '');
        if (current !== text) {
          process.stdout.write(`${path.posix.join(read.paths.dir, 'README.md')} is stale: run \`archfit adr index\`\n`);
          setExit(EXIT.findings);
        }
        return;
      }
      await writeFile(file, text);
      process.stdout.write(`${path.posix.join(read.paths.dir, 'README.md')}\n`);
    });

  withPathOptions(adr.command('graph'))
    .description('Mermaid flowchart: supersede and revisit edges, revisit-trigger nodes')
    .action(async (opts: PathOptions) => {
      const read = await readRecords(opts, setExit);
      if (read) process.stdout.write(renderGraph(read.records));
    });

  withPathOptions(adr.command('lint'))
    .description('check names, numbers, statuses, links both ways, confirmations and triggers (exit 1 on findings, 2 on unreadable input)')
    .option('--against <git-ref>', 'also fail when a record reuses a number that exists on this ref under another file name')
    .option('--json', 'print the result as JSON')
    .action(async (opts: PathOptions & { against?: string; json?: boolean }) => {
      const paths = await resolveAdrPaths({ ...opts, rules });
      const result = await lintAdrs({ root: paths.root, dir: paths.dir, scenariosDir: paths.scenariosDir, requireConfirmation: paths.requireConfirmation, naming: paths.naming, ruleIds: rules.map((r) => r.id) });
      const findings = [...result.findings];
      if (opts.against !== undefined && result.unreadable.length === 0) {
        try {
          findings.push(...(await checkAgainstRef(paths.root, paths.dir, opts.against, result.records)));
        } catch (err) {
          if (!(err instanceof GitRefError)) throw err;
          process.stderr.write(`archfit adr lint: ${err.message}\n`);
          setExit(EXIT.usage);
          return;
        }
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ records: result.records.length, findings, unreadable: result.unreadable }, null, 2)}\n`);
      } else {
        for (const f of result.unreadable) process.stderr.write(`${f.file}:${f.line}: [unreadable] ${f.message}\n`);
        printFindings(findings);
        const total = findings.length + result.unreadable.length;
        process.stdout.write(total === 0
          ? `${result.records.length} records in ${paths.dir}: no findings\n`
          : `${findings.length} finding(s), ${result.unreadable.length} unreadable, in ${result.records.length} records\n`);
      }
      if (result.unreadable.length > 0) setExit(EXIT.usage);
      else if (findings.length > 0) setExit(EXIT.findings);
    });

  withPathOptions(adr.command('criteria'))
    .description('evaluate the success and rollback criteria of extraction records against the newest pilot evidence (exit 0 succeeded, 1 roll back or not yet, 2 cannot evaluate)')
    .option('--results <path>', 'load evidence directory (default: the config\'s load.results, else load/results)')
    .option('--json', 'print the results as JSON')
    .action(async (opts: PathOptions & { results?: string; json?: boolean }) => {
      const read = await readRecords(opts, setExit);
      if (!read) return;
      let resultsDir = opts.results ?? 'load/results';
      let policy = DEFAULT_EVIDENCE_POLICY;
      if (findConfigFile(read.paths.root)) {
        const settings = triggerSettingsFromConfig(await loadConfig(read.paths.root, { rules }));
        if (opts.results === undefined) resultsDir = settings.resultsDir;
        policy = settings.policy ?? policy;
      }
      // The same evidence policy as the triggers: a run that may not fire a trigger may not judge a pilot either.
      const now = new Date();
      const disqualify = async (scenario: string, ev: Parameters<typeof disqualifications>[0]) =>
        disqualifications(ev, { policy, currentHash: await definitionHash(read.paths.root, read.paths.scenariosDir, scenario), now });
      const results = await evaluateCriteria(read.paths.root, resultsDir, read.records, disqualify);
      const verdict = results.length === 0 ? 'no-criteria' : criteriaVerdict(results);
      if (opts.json) process.stdout.write(`${JSON.stringify({ verdict, criteria: results }, null, 2)}\n`);
      else {
        for (const r of results) process.stdout.write(`ADR-${String(r.adr).padStart(4, '0')} ${r.kind.padEnd(8)} ${r.id.padEnd(28)} ${r.status.padEnd(11)} ${r.reason}${r.evidence ? ` (${r.evidence})` : ''}\n`);
        process.stdout.write(`verdict: ${verdict}\n`);
      }
      if (verdict === 'cannot-evaluate') setExit(EXIT.usage);
      else if (verdict === 'roll-back' || verdict === 'not-yet') setExit(EXIT.findings);
    });

  withPathOptions(adr.command('status'))
    .description('the state of every revisit trigger as a Markdown table (what `archfit triggers` computes); --write fills the marked block of a file')
    .option('--write <file>', 'replace the archfit:trigger-status block of this Markdown file')
    .action(async (opts: PathOptions & { write?: string }) => {
      const root = path.resolve(opts.root ?? process.cwd());
      let report;
      try {
        report = await evaluateTriggers(triggerSettingsFromConfig(await loadConfig(root, { rules })));
      } catch (err) {
        if (!(err instanceof ConfigError) && !(err instanceof AdrReadError)) throw err;
        process.stderr.write(`archfit adr status: ${err.message}\n`);
        setExit(EXIT.usage);
        return;
      }
      for (const p of report.problems) process.stderr.write(`archfit adr status: ${p}\n`);
      const block = renderTriggerStatus(report.triggers, new Date());
      if (!opts.write) {
        process.stdout.write(`${block}\n`);
      } else {
        const file = path.resolve(root, opts.write);
        try {
          await writeFile(file, replaceTriggerStatus(await readFile(file, 'utf8'), block));
        } catch (err) {
          process.stderr.write(`archfit adr status: ${opts.write}: ${(err as Error).message}\n`);
          setExit(EXIT.usage);
          return;
        }
        process.stdout.write(`${opts.write}\n`);
      }
      if (report.problems.length > 0) setExit(EXIT.usage);
    });

  // `adr revisit <trigger-id>` belongs to the triggers side (it embeds evidence); it lives in its own file.
  registerAdrRevisitCommand(adr, setExit);

  return adr;
}
