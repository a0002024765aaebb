import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The site's stylesheet: system fonts, no web fonts or remote assets. */
export const SITE_CSS = `*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1d1d1f;background:#fafafa;line-height:1.45}
a{color:#0b57d0}a:focus-visible,input:focus-visible{outline:3px solid #f29900;outline-offset:2px}
header.top{background:#1f2a37;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
header.top a{color:#fff;text-decoration:none;padding:.2rem .3rem}header.top a[aria-current=page]{border-bottom:2px solid #fbbc04}
header.top .brand{font-weight:700;margin-right:.5rem}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.search{position:relative;margin-left:auto}.search label{position:absolute;left:-9999px}
.search input{width:18rem;max-width:70vw;padding:.35rem .5rem;border-radius:4px;border:1px solid #8a96a3;font:inherit}
#search-results{position:absolute;right:0;top:2.3rem;z-index:10;width:28rem;max-width:90vw;margin:0;padding:0;list-style:none;background:#fff;color:#1d1d1f;border:1px solid #ccc;box-shadow:0 4px 12px rgba(0,0,0,.15)}
#search-results:empty{display:none}#search-results li{border-bottom:1px solid #eee}
#search-results a{display:block;color:#0b57d0;padding:.45rem .6rem}#search-results a:focus{background:#e8f0fe}
#search-results .none{padding:.45rem .6rem;color:#555}
main{max-width:1100px;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.9rem;background:#fff}caption{text-align:left;font-weight:600;padding:.2rem 0}
td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f0f3f6}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.88em;background:#f0f3f6;padding:0 .2em;border-radius:3px}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;border:1px solid #e1e4e8}pre code{background:none;padding:0}
.badge{display:inline-block;padding:0 .45em;border-radius:3px;font-size:.82em;font-weight:600;border:1px solid #888;background:#eee;color:#222;white-space:nowrap}
.b-accepted,.b-armed,.b-pass,.b-met,.b-up,.b-ok{background:#e6f4ea;border-color:#2e7d32;color:#1b5e20}
.b-proposed,.b-stale,.b-degraded,.b-no-evidence,.b-not-evaluated{background:#fff8e1;border-color:#b78103;color:#6d4c00}
.b-fired,.b-fires,.b-fail,.b-not-met,.b-invalid,.b-rejected,.b-down,.b-missing{background:#fdecea;border-color:#c62828;color:#8e1c1c}
.b-superseded,.b-deprecated,.b-off,.b-inactive{background:#f1f1f1;border-color:#888;color:#444}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.8rem}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.7rem .9rem}.card h2{margin-top:0;border:0;font-size:1.05rem}
.trigger{background:#fff;border:1px solid #d0d7de;border-left:6px solid #2e7d32;border-radius:4px;padding:.6rem .9rem;margin:1rem 0}
.trigger.st-fired,.trigger.st-invalid{border-left-color:#c62828}.trigger.st-stale,.trigger.st-no-evidence{border-left-color:#b78103}
.timeline{list-style:none;padding:0;border-left:3px solid #c7d2de;margin-left:.5rem}
.timeline li{margin:0 0 .7rem;padding-left:1rem;position:relative}.timeline li::before{content:"";position:absolute;left:-.52rem;top:.45rem;width:.7rem;height:.7rem;border-radius:50%;background:#1f2a37}
.timeline time{font-variant-numeric:tabular-nums;color:#444;margin-right:.5rem}
.fm{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.3rem .9rem;margin:1rem 0}
.record{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.2rem 1.2rem 1rem}
tr.bad td{color:#8e1c1c;font-weight:600}.muted{color:#555}.empty{background:#fff8e1;border:1px solid #e0c36a;padding:.6rem .9rem;border-radius:4px}
svg text{font-family:system-ui,Helvetica,Arial,sans-serif}
.chart .axis{font-size:11px;fill:#444}.chart .frame{stroke:#888}.chart .series{fill:none;stroke:#0b57d0;stroke-width:2}
.chart .pt{fill:#0b57d0}.chart .pt.fire{fill:#c62828;stroke:#fff;stroke-width:1.5}.chart .threshold{stroke:#c62828;stroke-width:1.5;stroke-dasharray:6,4}.chart .threshold-label{font-size:11px;fill:#8e1c1c}
.adr-graph .node{fill:#fff;stroke:#333}.adr-graph .s-accepted{fill:#e6f4ea}.adr-graph .s-proposed{fill:#fff8e1}.adr-graph .s-superseded,.adr-graph .s-deprecated{fill:#f1f1f1}.adr-graph .s-rejected{fill:#fdecea}
.adr-graph .node-title{font-size:12px;font-weight:700}.adr-graph .node-sub{font-size:11px;fill:#333}.adr-graph .link{fill:none;stroke:#444;stroke-width:1.4}.adr-graph .link-label{font-size:11px;fill:#333}
.map{overflow:auto;background:#fff;border:1px solid #d0d7de;padding:.5rem}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:.5rem;background:#fff;color:#000;padding:.3rem;z-index:20}
`;

/**
 * Client-side search: MiniSearch (loaded from assets/minisearch.js) over the index built at
 * generation time (assets/search-index.js sets window.ARCHFIT_SEARCH; a script, not a JSON
 * fetch, because file:// pages cannot fetch). Keyboard: ArrowDown from the box moves into the
 * results, ArrowUp/ArrowDown between them, Escape back to the box, Enter follows the link.
 */
export const SEARCH_JS = `(function () {
  'use strict';
  var input = document.getElementById('q');
  var list = document.getElementById('search-results');
  if (!input || !list || !window.MiniSearch || !window.ARCHFIT_SEARCH) return;
  var base = document.documentElement.getAttribute('data-base') || '';
  var index = window.MiniSearch.loadJS(window.ARCHFIT_SEARCH.index, window.ARCHFIT_SEARCH.options);
  function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }
  function render(query) {
    list.textContent = '';
    if (!query.trim()) return;
    var hits = index.search(query, { prefix: true, fuzzy: 0.2, boost: { title: 2 } }).slice(0, 10);
    if (hits.length === 0) {
      var none = document.createElement('li');
      none.className = 'none';
      none.textContent = 'No record matches "' + query + '"';
      list.appendChild(none);
    }
    hits.forEach(function (hit) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = base + hit.href;
      a.textContent = (hit.label ? hit.label + ' ' : '') + hit.title + ' (' + hit.status + ')';
      li.appendChild(a);
      list.appendChild(li);
    });
    var status = document.getElementById('search-status');
    if (status) status.textContent = hits.length + ' result' + (hits.length === 1 ? '' : 's');
  }
  input.addEventListener('input', function () { render(input.value); });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown') { var l = links(); if (l.length) { e.preventDefault(); l[0].focus(); } }
    if (e.key === 'Escape') { input.value = ''; render(''); }
  });
  list.addEventListener('keydown', function (e) {
    var l = links();
    var i = l.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && i < l.length - 1) { e.preventDefault(); l[i + 1].focus(); }
    if (e.key === 'ArrowUp') { e.preventDefault(); if (i > 0) l[i - 1].focus(); else input.focus(); }
    if (e.key === 'Escape') { e.preventDefault(); input.focus(); }
  });
})();
`;

/** MiniSearch's browser build, copied from the installed package (MIT). */
export async function miniSearchBrowserBuild(): Promise<string> {
  const require = createRequire(import.meta.url);
  const cjs = require.resolve('minisearch');
  const umd = path.join(path.dirname(cjs), '..', 'umd', 'index.js');
  return `/* MiniSearch (MIT License, https://github.com/lucaong/minisearch), copied by archfit site */\n${await readFile(umd, 'utf8')}`;
}
