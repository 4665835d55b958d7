/**
 * Glob patterns as shells and CI tools write them: `*` and `?` within one path segment, `**` across
 * segments, `[abc]`/`[!abc]`, `{a,b}`. Paths are matched in POSIX form. A `.yaml`/`.yml` ending is
 * matched without regard to case, as folders are searched.
 */

const GLOB_CHARS = /[*?[\]{}]/;

export const isGlob = (pattern: string) => GLOB_CHARS.test(pattern);

/** The leading segments without glob characters (where to start searching), and the rest. */
export function splitGlob(pattern: string): { base: string; rest: string } {
  const segments = pattern.split('/');
  const firstDynamic = segments.findIndex((s) => isGlob(s));
  const base = segments.slice(0, firstDynamic).join('/');
  return { base: base === '' && pattern.startsWith('/') ? '/' : base || '.', rest: segments.slice(firstDynamic).join('/') };
}

const escape = (c: string) => c.replace(/[.+^$()|\\/]/g, '\\$&');

function compile(pattern: string, caseless: (index: number) => boolean): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const atStart = i === 0 || pattern[i - 1] === '/';
        const atEnd = i + 2 === pattern.length || pattern[i + 2] === '/';
        if (atStart && atEnd) {
          // `**/` matches no segment or any; a final `/**` matches the folder itself and everything in it.
          if (i + 2 === pattern.length) out = out.endsWith('\\/') ? `${out.slice(0, -2)}(?:\\/.*)?` : `${out}.*`;
          else out += '(?:[^/]*\\/)*';
          i += 2;
          continue;
        }
      }
      out += '[^/]*';
      while (pattern[i + 1] === '*') i++;
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        let body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body}]`;
        i = close;
      }
    } else if (c === '{') {
      const close = pattern.indexOf('}', i);
      if (close === -1) out += '\\{';
      else {
        const offset = i + 1;
        const alternatives = pattern.slice(offset, close).split(',');
        let start = offset;
        const compiled = alternatives.map((alt) => {
          const at = start;
          start += alt.length + 1;
          return compile(alt, (index) => caseless(at + index));
        });
        out += `(?:${compiled.join('|')})`;
        i = close;
      }
    } else if (/[a-z]/i.test(c) && caseless(i)) out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    else out += escape(c);
  }
  return out;
}

/** A matcher for whole POSIX paths. */
export function globMatcher(pattern: string): (posixPath: string) => boolean {
  const extension = /\.ya?ml$/i.exec(pattern);
  const from = extension ? extension.index : pattern.length;
  const regex = new RegExp(`^${compile(pattern, (index) => index >= from)}$`);
  return (p) => regex.test(p);
}
