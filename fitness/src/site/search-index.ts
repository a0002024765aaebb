import MiniSearch from 'minisearch';
import type { DecisionsPage } from './decisions-page.js';

/** One searchable record. */
export interface SearchDoc {
  id: string;
  href: string;
  label: string;
  title: string;
  status: string;
  text: string;
}

/** Options the browser needs to load the index: the same fields as at build time. */
export const SEARCH_OPTIONS = { fields: ['label', 'title', 'text'], storeFields: ['href', 'label', 'title', 'status'] };

/** Markdown to words: code fences, link targets and markup characters do not help a search. */
function plain(markdown: string): string {
  return markdown
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/[#*_`>|[\]-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function searchDocs(page: DecisionsPage): SearchDoc[] {
  return page.records.map((r) => ({
    id: r.href,
    href: r.href,
    label: r.label,
    title: r.title,
    status: r.status,
    text: plain([r.body, ...r.triggers.map((t) => t.id), ...r.confirmations.map((c) => c.ref), ...r.modules.map((m) => m.name)].join(' ')),
  }));
}

/**
 * The search index as a script that sets `window.ARCHFIT_SEARCH`. Documents are added in
 * record order, so the serialised index is byte-identical for the same records.
 */
export function searchIndexScript(docs: readonly SearchDoc[]): string {
  const index = new MiniSearch<SearchDoc>(SEARCH_OPTIONS);
  index.addAll([...docs]);
  return `window.ARCHFIT_SEARCH = ${JSON.stringify({ options: SEARCH_OPTIONS, index: index.toJSON() })};\n`;
}
