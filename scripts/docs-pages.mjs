// The landing page (docs/index.html) and the guides (docs/guides.html), rendered from README.md's
// own sections so the site and the README never disagree. Self-contained: the stylesheet is inline,
// nothing is loaded from anywhere.
import { readFile, writeFile } from 'node:fs/promises';
import MarkdownIt from 'markdown-it';

const root = new URL('../', import.meta.url);

/** README sections per page, by their `##` heading. */
export const PAGES = {
  'index.html': {
    title: 'authwire',
    sections: ['Install', 'Quick starts', 'Auth modes', 'Compatibility'],
    intro: true,
  },
  'guides.html': {
    title: 'Guides',
    sections: ['Sessions and events', 'Many processes, many tabs', 'Acting for a signed-in browser user (back ends)', 'Passwords, and what a server offers', 'Errors', 'Testing your app with authwire/msw', 'Security notes'],
    intro: false,
  },
};

const NAV = [
  ['index.html', 'Overview'],
  ['api.html', 'HTTP reference'],
  ['sdk/index.html', 'SDK reference'],
  ['guides.html', 'Guides'],
];

/** README.md split into its introduction and its `##` sections. */
export function readmeSections(markdown) {
  const [head, ...rest] = markdown.split(/^## /m);
  const sections = new Map(
    rest.map((chunk) => {
      const newline = chunk.indexOf('\n');
      return [chunk.slice(0, newline).trim(), chunk.slice(newline + 1)];
    }),
  );
  return { intro: head.replace(/^# .*\n/, ''), sections };
}

const slug = (text) =>
  text
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function markdown() {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  // Headings get ids (for the contents and for links into a page).
  md.core.ruler.push('heading_ids', (state) => {
    state.tokens.forEach((token, i) => {
      if (token.type === 'heading_open') token.attrSet('id', slug(state.tokens[i + 1].content));
    });
  });
  // Table cells carry their column's heading, shown above each cell on narrow screens.
  md.core.ruler.push('cell_labels', (state) => {
    let headings = [];
    let column = 0;
    state.tokens.forEach((token, i) => {
      if (token.type === 'thead_open') headings = [];
      if (token.type === 'th_open') headings.push(state.tokens[i + 1].content.replace(/`/g, ''));
      if (token.type === 'tr_open') column = 0;
      if (token.type === 'td_open') token.attrSet('data-label', headings[column++] ?? '');
    });
  });
  // Links to repository files point from docs/ back to the repository root.
  md.core.ruler.push('repo_links', (state) => {
    for (const block of state.tokens) {
      for (const token of block.children ?? []) {
        const href = token.type === 'link_open' ? token.attrGet('href') : null;
        if (href && !/^([a-z]+:|#)/.test(href)) token.attrSet('href', `../${href}`);
      }
    }
  });
  // Tables scroll inside their own box rather than widening the page.
  md.renderer.rules.table_open = () => '<div class="table"><table>\n';
  md.renderer.rules.table_close = () => '</table></div>\n';
  return md;
}

const escape = (text) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function page({ file, title, body, contents }) {
  const nav = NAV.map(([href, label]) =>
    href === file ? `<a href="${href}" aria-current="page">${label}</a>` : `<a href="${href}">${label}</a>`,
  ).join('\n        ');
  const toc = contents.length
    ? `<nav class="contents" aria-label="On this page"><h2>On this page</h2><ul>${contents
        .map(([id, text]) => `<li><a href="#${id}">${escape(text)}</a></li>`)
        .join('')}</ul></nav>`
    : '';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escape(title === 'authwire' ? 'authwire — typed auth SDK for Lowcoder, ApostropheCMS and Coco Server' : `${title} — authwire`)}</title>
    <style>${CSS}</style>
  </head>
  <body>
    <header class="site">
      <a class="brand" href="index.html">authwire</a>
      <nav aria-label="Site">
        ${nav}
      </nav>
    </header>
    <div class="layout">
      ${toc}
      <main>
${body}
      </main>
    </div>
  </body>
</html>
`;
}

/** Renders both pages from README.md. */
export async function buildPages() {
  const readme = readmeSections(await readFile(new URL('README.md', root), 'utf8'));
  const md = markdown();
  const written = [];
  for (const [file, spec] of Object.entries(PAGES)) {
    const parts = [];
    if (spec.intro) parts.push(`# authwire\n${readme.intro}`);
    else parts.push(`# ${spec.title}\n`);
    for (const name of spec.sections) {
      const text = readme.sections.get(name);
      if (text === undefined) throw new Error(`README.md has no "## ${name}" section for docs/${file}`);
      parts.push(`## ${name}\n${text}`);
    }
    if (spec.intro) parts.push(MORE);
    // README's HTML comments are markers for its tests (`<!-- quickstart:coco -->`), not content.
    const source = parts.join('\n').replace(/^<!--.*-->\n/gm, '');
    const contents = [...source.matchAll(/^## (.+)$/gm)].map(([, text]) => [slug(md.renderInline(text)), md.renderInline(text).replace(/<[^>]+>/g, '')]);
    await writeFile(new URL(`docs/${file}`, root), page({ file, title: spec.title, body: md.render(source), contents }));
    written.push(`docs/${file}`);
  }
  return written;
}

const MORE = `## More

- [HTTP reference](api.html): every operation of the three platforms as the servers really answer, with
  the authwire call and a curl line for each.
- [SDK reference](sdk/index.html): every export of \`authwire\`, \`authwire/api\`, \`authwire/msw\`,
  \`authwire/emulator\` and \`authwire/cookie-jar\`, from the package's own type declarations.
- [Guides](guides.html): sessions and stores, fleets and tabs, back ends acting for browser users, passwords, errors, testing with \`authwire/msw\`, security.
`;

const CSS = `
:root { color-scheme: light; --fg: #1d2330; --muted: #5b6478; --line: #dfe3ea; --bg: #fff; --soft: #f5f7fa; --accent: #2b59c3; --code: #0f1724; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
header.site { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1.5rem; padding: .6rem 1.5rem; background: var(--soft); border-bottom: 1px solid var(--line); }
header.site .brand { font-weight: 700; font-size: 1.1rem; color: var(--fg); text-decoration: none; }
header.site nav { display: flex; flex-wrap: wrap; gap: .25rem 1.1rem; }
header.site nav a { color: var(--fg); text-decoration: none; white-space: nowrap; }
header.site nav a[aria-current] { color: var(--accent); font-weight: 600; }
.layout { display: grid; grid-template-columns: 14rem minmax(0, 60rem); gap: 2.5rem; justify-content: center; padding: 1.5rem; }
.contents { position: sticky; top: 4rem; align-self: start; font-size: .92rem; }
.contents h2 { border: 0; padding: 0; font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: .4rem 0; }
.contents ul { list-style: none; margin: 0; padding: 0; }
.contents li { margin: .3rem 0; }
.contents a { color: var(--fg); text-decoration: none; }
main { min-width: 0; }
h1 { font-size: 2.2rem; line-height: 1.2; margin: .5rem 0 1rem; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 .75rem; padding-top: .5rem; border-top: 1px solid var(--line); }
h3 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; }
h2, h3 { scroll-margin-top: 4.5rem; }
code { font: .88em/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; background: var(--soft); padding: .1em .3em; border-radius: 4px; overflow-wrap: anywhere; }
pre { background: var(--code); color: #e6edf7; padding: 1rem 1.1rem; border-radius: 8px; overflow-x: auto; line-height: 1.5; }
pre code { background: none; padding: 0; color: inherit; font-size: .85rem; overflow-wrap: normal; }
.table { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .5rem .65rem; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; }
td:first-child { font-weight: 600; white-space: nowrap; }
@media (max-width: 900px) {
  .layout { grid-template-columns: minmax(0, 1fr); gap: 0; padding: 1rem; }
  /* One column: the headings themselves are the contents. */
  .contents { display: none; }
}
@media (max-width: 640px) {
  body { font-size: 15px; }
  header.site { position: static; padding: .5rem 1rem; }
  h2, h3 { scroll-margin-top: 1rem; }
  h1 { font-size: 1.7rem; }
  /* Code wraps on phones: a sideways-scrolling block hides half of every line. */
  pre { margin-left: -1rem; margin-right: -1rem; border-radius: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  pre code { white-space: inherit; overflow-wrap: inherit; }
  /* Tables become one card per row: each cell under its column's heading. */
  table, tbody, tr, td { display: block; width: 100%; }
  thead { display: none; }
  tr { border: 1px solid var(--line); border-radius: 8px; margin: .75rem 0; padding: .25rem .75rem; }
  td { border: 0; padding: .3rem 0; white-space: normal; }
  td:first-child { font-size: 1rem; border-bottom: 1px solid var(--line); padding-bottom: .4rem; }
  td[data-label]:not([data-label=""]):not(:first-child)::before { content: attr(data-label); display: block; font-size: .75rem; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
}
`;
