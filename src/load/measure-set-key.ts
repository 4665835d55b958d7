/** Which measure set a measure file belongs to: files with the same key are merged. */

/** The identity of a measure set: files with the same one are merged. */
export const setKey = (doc: { memberState: string; directive: string; asOf: string }) => `${doc.memberState}\0${doc.directive}\0${doc.asOf}`;

const HEADER = {
  memberState: /^member_state:[ \t]*(["']?)([A-Za-z]{2})\1[ \t]*(?:#.*)?\r?$/m,
  directive: /^directive:[ \t]*(["']?)([^"'\s#]+)\1[ \t]*(?:#.*)?\r?$/m,
  asOf: /^as_of:[ \t]*(["']?)(\d{4}-\d{2}-\d{2})\1[ \t]*(?:#.*)?\r?$/m,
};

/**
 * Which measure set a file describes, read from its top-level lines without parsing it. Only a
 * guess, to process files set by set; the parsed values decide, and a wrong guess is put right.
 */
export function predictSetKey(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const memberState = HEADER.memberState.exec(text)?.[2];
  const directive = HEADER.directive.exec(text)?.[2];
  const asOf = HEADER.asOf.exec(text)?.[2];
  return memberState && directive && asOf ? setKey({ memberState, directive, asOf }) : undefined;
}
