import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

// Every link in the documentation a reader follows: relative links resolve to a file (and, into a
// Markdown file, `#anchor` to a heading, slugged as GitHub does); absolute ones are well-formed URLs.
const PAGES = [
  'README.md',
  'CHANGELOG.md',
  'examples/README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2. */
export function slugs(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, heading] of withoutFences(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const text = heading!.replace(/!\[[^\]]*\]\([^)]*\)/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count ? `${base}-${count}` : base);
  }
  return out;
}

/** The text outside fenced code blocks (where a `#` line is no heading). */
function withoutFences(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
}

/** The text outside fenced code blocks and inline code, where links are links. */
function withoutCode(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, '');
}

/** Inline links and images `[text](target)` and reference definitions `[id]: target`. */
export function linksOf(markdown: string): string[] {
  const text = withoutCode(markdown);
  const inline = [...text.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const definitions = [...text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((m) => m[1]!);
  return [...inline, ...definitions];
}

describe('documentation links', () => {
  it('covers the README, changelog, examples and every page in docs/', () => {
    expect(PAGES).toEqual(expect.arrayContaining(['README.md', 'CHANGELOG.md', 'docs/contract.md', 'docs/outcomes.md', 'docs/rules.md', 'docs/ARCHITECTURE.md']));
    for (const page of PAGES) expect(existsSync(path.join(ROOT, page)), page).toBe(true);
  });

  it.each(PAGES)('%s: every link resolves', (page) => {
    const markdown = readFileSync(path.join(ROOT, page), 'utf8');
    const links = linksOf(markdown);
    const broken: string[] = [];
    for (const link of links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) {
        if (/^https?:/i.test(link)) {
          let url: URL | undefined;
          try {
            url = new URL(link);
          } catch {
            url = undefined;
          }
          if (!url || !url.hostname.includes('.')) broken.push(`${link}: not a well-formed URL`);
        } else if (!/^mailto:/i.test(link)) broken.push(`${link}: only http(s) and mailto links are expected`);
        continue;
      }
      const [target, anchor] = link.split('#', 2) as [string, string | undefined];
      const file = target ? path.resolve(path.dirname(path.join(ROOT, page)), decodeURIComponent(target)) : path.join(ROOT, page);
      if (!file.startsWith(ROOT)) {
        broken.push(`${link}: leads outside the repository`);
        continue;
      }
      if (!existsSync(file)) {
        broken.push(`${link}: no such file`);
        continue;
      }
      if (anchor !== undefined && file.endsWith('.md') && statSync(file).isFile()) {
        if (!slugs(readFileSync(file, 'utf8')).has(decodeURIComponent(anchor))) broken.push(`${link}: no heading #${anchor} in ${path.relative(ROOT, file)}`);
      }
    }
    expect(broken, `${page}: broken links`).toEqual([]);
  });
});

describe('the link checker itself', () => {
  it('slugs headings as GitHub does', () => {
    const anchors = slugs('# The contract\n## 6. JSON output (stable; keys are added)\n### `conformity diff`: what changed\n## Limits\n## Limits\n```\n# not a heading\n```\n');
    expect([...anchors]).toEqual(['the-contract', '6-json-output-stable-keys-are-added', 'conformity-diff-what-changed', 'limits', 'limits-1']);
  });

  it('finds inline links, images and definitions, not code', () => {
    expect(linksOf('See [a](docs/a.md#x) and ![i](p.png "t").\n`[no](code.md)`\n```\n[no](fenced.md)\n```\n[ref]: https://example.org/x\n')).toEqual([
      'docs/a.md#x',
      'p.png',
      'https://example.org/x',
    ]);
  });
});
