import { Marked, type Tokens } from 'marked';
import { esc } from '../html.js';

/**
 * Markdown to HTML with marked, adjusted for an offline site: raw HTML in a record is shown as
 * text (a record cannot inject script), a link to another record's `.md` goes to its page,
 * and an image is drawn only from a relative path (a remote image would be a request at view
 * time); a remote one becomes a link.
 */
export function renderMarkdown(markdown: string, recordFiles: ReadonlySet<string>): string {
  const marked = new Marked({
    async: false,
    gfm: true,
    renderer: {
      html(token: Tokens.HTML | Tokens.Tag) {
        return esc(token.text);
      },
      link(this: { parser: { parseInline(t: Tokens.Generic[]): string } }, token: Tokens.Link) {
        let href = token.href;
        const m = /^(?:\.\/)?([^/#?]+)\.md(#.*)?$/.exec(href);
        if (m && recordFiles.has(`${m[1]}.md`)) href = `${m[1]}.html${m[2] ?? ''}`;
        const title = token.title ? ` title="${esc(token.title)}"` : '';
        return `<a href="${esc(href)}"${title}>${this.parser.parseInline(token.tokens)}</a>`;
      },
      image(token: Tokens.Image) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(token.href) && !token.href.startsWith('data:')) {
          return `<a href="${esc(token.href)}">image: ${esc(token.text || token.href)}</a>`;
        }
        return `<img src="${esc(token.href)}" alt="${esc(token.text)}">`;
      },
    },
  });
  return marked.parse(markdown) as string;
}
