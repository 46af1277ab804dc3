/**
 * Byte-level mutations of real files for the fuzz suite (issue #9), the kinds a hand edit, a bad export or a
 * transfer produce: insert, delete, replace and duplicate ranges; stray quotes, delimiters and line ends; a UTF-8
 * BOM or NUL in the middle; Latin-1 and invalid UTF-8 bytes; truncation. Driven by fast-check, so every failing
 * case shrinks and replays from its seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

const SPECIALS = ['"', ',', ';', '\t', '\n', '\r\n', '\r', '\uFEFF', '\0', ' ', ':', '-', '[', '{', '&a', '*a', '!!', '#', "'", '|', '\\', 'NA', '.', '?', '1e309', '-0', 'é', '\u2028'];
const RAW = [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xe9]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf0, 0x9f])];

export type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'raw'; at: number; bytes: number }
  | { kind: 'truncate'; at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ maxLength: 6 })) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), at: fc.nat(), bytes: fc.nat({ max: RAW.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
);

export const mutations = fc.array(mutation, { minLength: 1, maxLength: 5 });

/** `bytes` with the mutations applied in order (positions taken modulo the current length). */
export function mutateBytes(bytes: Buffer, ms: readonly Mutation[]): Buffer {
  let b = bytes;
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    switch (m.kind) {
      case 'insert': b = Buffer.concat([b.subarray(0, at), Buffer.from(m.text, 'utf8'), b.subarray(at)]); break;
      case 'delete': b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]); break;
      case 'duplicate': b = Buffer.concat([b.subarray(0, at + m.length), b.subarray(at)]); break;
      case 'raw': b = Buffer.concat([b.subarray(0, at), RAW[m.bytes]!, b.subarray(at)]); break;
      case 'truncate': b = b.subarray(0, at); break;
    }
  }
  return b;
}

/** How many cases each target ran, for the closing note: written to .test-artifacts/fuzz/<target>.json. */
export function recordCount(target: string, counts: Record<string, number>): void {
  const dir = join(__dirname, '../../.test-artifacts/fuzz');
  mkdirSync(dir, { recursive: true });
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  writeFileSync(join(dir, `${target}.json`), `${JSON.stringify({ target, total, counts }, null, 1)}\n`);
  console.log(`fuzz ${target}: ${total} cases ${JSON.stringify(counts)}`);
}
