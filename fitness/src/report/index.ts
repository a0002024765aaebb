import type { CheckResult } from '../rules/run.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatSarif } from './sarif.js';
import { archfitVersion } from '../version.js';
import { formatText } from './text.js';

export const CHECK_FORMATS = ['text', 'json', 'github', 'sarif', 'junit'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export function formatCheckResult(result: CheckResult, format: CheckFormat): string {
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'github':
      return formatGithub(result);
    case 'sarif':
      return formatSarif(result, archfitVersion());
    case 'junit':
      return formatJunit(result);
    default:
      return formatText(result);
  }
}

export { formatGithub, formatJson, formatJunit, formatSarif, formatText };
