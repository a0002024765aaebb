import { formatNumber } from '../adr/parse.js';

/**
 * Where each page lives in the site. Every link is relative, so the site works from file://,
 * from a sub-path on GitHub Pages and from any static server.
 */
export const PAGES = {
  home: 'index.html',
  decisions: 'decisions.html',
  triggers: 'triggers.html',
  modules: 'modules.html',
  evidence: 'evidence.html',
  services: 'services.html',
} as const;

/** The page of one record, from its file name (`0009-slug.md` -> `decisions/0009-slug.html`). */
export function decisionHref(fileName: string): string {
  return `decisions/${fileName.replace(/\.md$/, '')}.html`;
}

export function decisionLabel(n: number | undefined): string {
  return n === undefined ? 'ADR-????' : `ADR-${formatNumber(n)}`;
}

/** Module names are folder names; keep only characters safe in a file name. */
export function moduleHref(name: string): string {
  return `modules/${name.replace(/[^A-Za-z0-9._-]/g, '_')}.html`;
}

/** Copies of evidence files and their reports keep their base name under evidence/. */
export function evidenceCopy(repoFile: string): string {
  return `evidence/${repoFile.split('/').pop()!}`;
}

export const triggerAnchor = (id: string) => `trigger-${id}`;
export const evidenceAnchor = (repoFile: string) => `run-${repoFile.split('/').pop()!.replace(/\.json$/, '')}`;
