/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** Joins rendered fragments, dropping empty ones. */
export function join(parts: ReadonlyArray<string | false | undefined | null>, sep = '\n'): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(sep);
}

/** A fixed-precision number that prints the same on every machine and drops trailing zeros. */
export function fmt(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toFixed(digits)));
}

/** A table with a caption; `rows` are already-escaped cell HTML. */
export function table(caption: string, head: string[], rows: string[][], cls = ''): string {
  return `<table${cls ? ` class="${cls}"` : ''}><caption>${esc(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>\n${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('\n')}\n</tbody></table>`;
}

/** A status badge; the class keys the colour, the text says it (colour is never the only signal). */
export function badge(status: string): string {
  const cls = status.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return `<span class="badge b-${esc(cls)}">${esc(status)}</span>`;
}
