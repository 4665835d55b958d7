import { fs } from '../node-fs.js';

/** Enough of a file to tell what it is (its header lines) without reading all of it. */
const HEAD_BYTES = 64 * 1024;

/** The first 64 KB of a file as Latin-1 text (every byte one character), or undefined when it cannot be read. */
export function readHead(name: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(name, 'r');
    const bytes = Buffer.alloc(HEAD_BYTES);
    const length = fs.readSync(fd, bytes, 0, HEAD_BYTES, 0);
    return bytes.subarray(0, length).toString('latin1');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
