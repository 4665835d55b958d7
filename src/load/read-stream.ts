// Its own module, importing nothing: the command line loads it only when it reads standard input.

/**
 * Reads a stream to its end, or until it has given more than `maxBytes`: then it stops reading
 * (the stream is destroyed) and returns the first `maxBytes + 1` bytes, enough to tell the input is
 * over the limit. Memory stays within the limit whatever the stream's length.
 */
export async function readStreamUpTo(stream: AsyncIterable<Uint8Array | string>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    chunks.push(bytes);
    length += bytes.length;
    if (length > maxBytes) break;
  }
  const out = new Uint8Array(Math.min(length, maxBytes + 1));
  let offset = 0;
  for (const chunk of chunks) {
    if (offset === out.length) break;
    const part = chunk.subarray(0, out.length - offset);
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
