import path from 'node:path';
import type { Command } from 'commander';
import { AdrReadError } from '../../adr/parse.js';
import { ConfigError } from '../../config/errors.js';
import { generateSite } from '../../site/index.js';
import { EXIT, type SetExit } from '../exit-codes.js';

/**
 * `archfit site [-o dir]`: decisions, triggers, modules, load evidence and services as a static
 * site that works from file:// and any static host. Exit 0 when written, 2 on bad input
 * (invalid config, an output folder that holds other files, or input it could not read: the
 * site is still written and lists it). What the site shows (a fired
 * trigger, violations) is for `archfit check` to gate, not for this command.
 */
export function registerSiteCommand(program: Command, setExit: SetExit): void {
  program
    .command('site')
    .description('Write the architecture as a self-contained static site (decisions, triggers, modules, load evidence, services)')
    .argument('[dir]', 'repository root', '.')
    .option('-o, --output <dir>', 'output folder (replaced if it holds a previous site)', 'site')
    .option('--app-url <url>', 'a running app to read live service health from, at build time')
    .option('--app-token <token>', 'admin token for the app\'s services view (or ARCHFIT_APP_TOKEN)')
    .option('--no-cache', 'do not read or write .archfit-cache/')
    .action(async (dir: string, flags: { output: string; appUrl?: string; appToken?: string; cache: boolean }) => {
      try {
        if (flags.appUrl && !/^https?:\/\//.test(flags.appUrl)) throw new ConfigError(`--app-url must be an http(s) URL, not ${flags.appUrl}`, '--app-url');
        const token = flags.appToken ?? process.env.ARCHFIT_APP_TOKEN;
        const result = await generateSite({
          root: path.resolve(dir),
          out: path.resolve(flags.output),
          ...(flags.appUrl ? { appUrl: flags.appUrl } : {}),
          ...(token ? { appToken: token } : {}),
          ...(flags.cache ? {} : { cache: false }),
        });
        const rel = path.relative(process.cwd(), result.out) || '.';
        process.stdout.write(`archfit site: wrote ${result.files} files (${(result.bytes / 1024).toFixed(0)} KiB) to ${rel}/ in ${result.ms} ms; open ${path.join(rel, 'index.html')}\n`);
        // Fail closed: the site is written so people can see what is there, but a run that
        // could not read part of its input (the check, an ADR) does not exit 0.
        for (const p of result.inputs.problems) process.stderr.write(`archfit site: could not read: ${p}\n`);
        if (result.inputs.problems.length) {
          process.stderr.write(`archfit site: ${result.inputs.problems.length} input(s) could not be read; the site lists them on its overview page\n`);
          setExit(EXIT.usage);
        }
      } catch (err) {
        if (err instanceof ConfigError || err instanceof AdrReadError) {
          process.stderr.write(`archfit site: ${err.message}\n`);
          setExit(EXIT.usage);
          return;
        }
        throw err;
      }
    });
}
