import { esc } from '../html.js';
import { PAGES } from '../paths.js';

export type Section = keyof typeof PAGES;

const NAV: Array<[Section, string]> = [
  ['home', 'Overview'],
  ['decisions', 'Decisions'],
  ['triggers', 'Triggers'],
  ['modules', 'Modules'],
  ['evidence', 'Load evidence'],
  ['services', 'Services'],
];

export interface PageOptions {
  /** The document title (the site name is appended). */
  title: string;
  siteName: string;
  section: Section;
  /** 0 for pages at the root, 1 for pages in a folder (decisions/, modules/). */
  depth: 0 | 1;
  body: string;
}

/**
 * The frame of every page: a skip link, the navigation, the search box (MiniSearch over the
 * prebuilt index), then the page's own main content. Assets are local; nothing is fetched.
 */
export function layout(o: PageOptions): string {
  const base = o.depth === 1 ? '../' : '';
  const nav = NAV.map(([key, label]) => `<li><a href="${base}${PAGES[key]}"${key === o.section ? ' aria-current="page"' : ''}>${esc(label)}</a></li>`).join('');
  return `<!doctype html>
<html lang="en" data-base="${base}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)} · ${esc(o.siteName)} architecture</title>
<link rel="stylesheet" href="${base}assets/site.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<span class="brand">${esc(o.siteName)} · archfit</span>
<nav aria-label="Sections"><ul>${nav}</ul></nav>
<form class="search" role="search" action="#" onsubmit="return false">
<label for="q">Search decision records</label>
<input id="q" type="search" placeholder="Search decisions…" autocomplete="off" aria-controls="search-results" aria-describedby="search-status">
<span id="search-status" class="skip" aria-live="polite"></span>
<ul id="search-results" aria-label="Search results"></ul>
</form>
</header>
<main id="main">
${o.body}
</main>
<script src="${base}assets/minisearch.js"></script>
<script src="${base}assets/search-index.js"></script>
<script src="${base}assets/search.js"></script>
</body>
</html>
`;
}
