/** JSON pointer segment escaping (RFC 6901): `~` → `~0`, `/` → `~1`. */
export function pointerSegment(key: string | number): string {
  const text = String(key);
  return text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text;
}

/** A JSON pointer segment as the key it names (`~1` → `/`, `~0` → `~`). */
export function unescapeSegment(segment: string): string {
  return segment.includes('~') ? segment.replace(/~1/g, '/').replace(/~0/g, '~') : segment;
}
