import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readEvidence } from 'archfit';
import { chartsFor } from './report.js';
import { barChartSvg, lineChartSvg } from './svg-chart.js';

/**
 * Writes each evidence file's charts as standalone SVG files, for Markdown pages that embed
 * them (docs/load.md): `npx tsx load/runner/export-charts.ts <out-dir> <evidence.json>...`.
 */
async function main(out: string, files: string[]): Promise<void> {
  await mkdir(out, { recursive: true });
  for (const file of files) {
    const read = await readEvidence(process.cwd(), file);
    if (!read.ok) throw new Error(`${file}: ${read.reason}`);
    const charts = chartsFor(read.evidence);
    for (const [i, c] of charts.entries()) {
      const name = path.join(out, `${read.evidence.scenario}-${i + 1}.svg`);
      await writeFile(name, `${c.kind === 'line' ? lineChartSvg(c.chart) : barChartSvg(c.chart)}\n`);
      process.stdout.write(`${name}: ${c.chart.title}\n`);
    }
  }
}

const [out, ...files] = process.argv.slice(2);
if (!out || files.length === 0) {
  process.stderr.write('usage: tsx load/runner/export-charts.ts <out-dir> <evidence.json>...\n');
  process.exit(2);
}
await main(out, files);
