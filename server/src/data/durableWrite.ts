/**
 * Durable file writes for artifacts: a file is flushed to disk before it is renamed into a visible place.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** Writes a file and fsyncs it before returning. @throws the file system's error (ENOSPC, EACCES…). */
export function writeFileDurable(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
