import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import formats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSarif } from '../../src/report/sarif.js';
import { runCheck } from '../../src/rules/run.js';
import { makeRepo } from '../support/tmp-repo.js';

/**
 * The official SARIF 2.1.0 JSON schema (2.1.0-rtm.5, OASIS; a draft-04 schema) as shipped in
 * @microsoft/jest-sarif (MIT): vendored by that package, read from it here, not copied.
 */
const require = createRequire(import.meta.url);
// Both are CommonJS with `exports.default`: under NodeNext the default import is the module.
const Ajv = AjvDraft04.default;
const addFormats = formats.default;
const schemaFile = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
// The schema's language-tag pattern is not valid under the `u` flag Ajv uses by default.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const repos: { cleanup(): void }[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

/** A deep import from a folder with a space and a file with `%` and `#` in its name. */
function repo() {
  const r = makeRepo({
    'archfit.config.json': JSON.stringify({ modules: [{ name: 'catalog', root: 'src/my modules/catalog' }, { name: 'orders', root: 'src/my modules/orders' }], dependencies: { orders: ['catalog'] } }),
    'src/my modules/catalog/index.ts': 'export const c = 1;\n',
    'src/my modules/catalog/100%#raw.ts': 'export const raw = 1;\n',
    'src/my modules/orders/index.ts': "import { raw } from '../catalog/100%#raw.js';\nimport { c } from '../catalog/index.js';\nexport const o = raw + c;\n",
  });
  repos.push(r);
  return r;
}

describe('SARIF output', () => {
  it('validates against the SARIF 2.1.0 schema, with percent-encoded artifact URIs', async () => {
    const r = repo();
    const result = await runCheck({ root: r.root, cache: false });
    expect(result.violations.map((v) => v.rule)).toEqual(['module-boundary']);
    const doc = JSON.parse(formatSarif(result, '9.9.9'));
    const ok = validate(doc);
    expect(ajv.errorsText(validate.errors, { separator: '\n' })).toBe('No errors');
    expect(ok).toBe(true);
    const loc = doc.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    expect(loc.uri).toBe('src/my%20modules/orders/index.ts');
    expect(doc.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/\/.+\/$/);
    expect(doc.runs[0].tool.driver.version).toBe('9.9.9');
  });

  it('the schema rejects what archfit used to write (an unencoded space in a URI)', () => {
    // Proves the validator looks at URIs at all, so the test above can fail.
    const bad = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/my modules/a.ts' } } }] }] }] };
    expect(validate(bad)).toBe(false);
    expect(ajv.errorsText(validate.errors)).toMatch(/uri/);
  });

  it('fingerprints by identity: the same violation keeps its fingerprint when its message changes', async () => {
    const r = repo();
    const first = JSON.parse(formatSarif(await runCheck({ root: r.root, cache: false }), '0'));
    r.write('src/my modules/payments/index.ts', 'export const p = 1;\n');
    r.write(
      'archfit.config.json',
      JSON.stringify({
        modules: [
          { name: 'catalog', root: 'src/my modules/catalog', publicEntries: ['index.ts', 'other.ts'] },
          { name: 'orders', root: 'src/my modules/orders' },
          { name: 'payments', root: 'src/my modules/payments' },
        ],
        dependencies: { orders: ['catalog', 'payments'] },
      }),
    );
    r.write('src/my modules/catalog/other.ts', 'export const other = 1;\n');
    const second = JSON.parse(formatSarif(await runCheck({ root: r.root, cache: false }), '0'));
    const [a, b] = [first.runs[0].results[0], second.runs[0].results[0]];
    expect(a.message.text).not.toBe(b.message.text);
    expect(b.partialFingerprints).toEqual(a.partialFingerprints);
  });
});
