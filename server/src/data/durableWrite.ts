/**
 * Durable file writes for artifacts: a file is flushed to disk before it is renamed into a visible place.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

/** Writes a file and fsyncs it before returning. @throws the file system's error (ENOSPC, EACCES…). */
export function writeFileDurable(path: string, data: string | Uint8Array): void {
  const injected = injectedWriteFault(path);
  if (injected) throw injected;
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

/**
 * Test-only, honoured only under NODE_ENV=test: `XAI_TEST_WRITE_FAULT=<flag file>`. While the flag file exists and
 * holds `<folder>\t<CODE>`, writes under that folder fail with CODE (ENOSPC, EROFS…). The fault tests mount a small
 * or read-only tmpfs where they can; this is their stand-in on machines that forbid `mount`.
 */
function injectedWriteFault(path: string): NodeJS.ErrnoException | undefined {
  const flag = process.env.NODE_ENV === 'test' ? process.env.XAI_TEST_WRITE_FAULT : undefined;
  if (!flag || !existsSync(flag)) return undefined;
  const [folder, code] = readFileSync(flag, 'utf8').trim().split('\t');
  if (!folder || !code || !path.startsWith(`${folder}/`)) return undefined;
  return Object.assign(new Error(`${code}: injected by the fault tests, write '${path}'`), { code, path });
}
