/**
 * Checks of a LayersModel's `model.json` before anything is allocated or read: model files come from elsewhere (a
 * colleague, a download), so a weights manifest may name files outside the model's folder, ask for absurd tensors
 * (a 100 GB shape) or disagree with the weight files on disk. Each check fails with a message that names the file
 * and the entry, before TensorFlow.js sees the manifest.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

/** model.json larger than this is refused unread (a LayersModel topology is kilobytes). */
export const MAX_MODEL_JSON_BYTES = 64 * 2 ** 20;
/** Default cap on the weights a model may ask for, in bytes (a 10-unit MLP needs under 1 KiB). */
export const DEFAULT_MAX_WEIGHT_BYTES = 2 ** 30;

/** Bytes per element of the dtypes a LayersModel weight (or its quantized form) may have. */
const DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

export interface ManifestWeight { name: string; shape: number[]; dtype: string; quantization?: { dtype?: string } }
export interface ManifestGroup { paths: string[]; weights: ManifestWeight[] }

/** The manifest's groups with each path resolved inside `dir`, and the bytes the weights need in all. */
export interface CheckedManifest { groups: ManifestGroup[]; files: string[]; bytes: number }

/**
 * Validates `model.json`'s `weightsManifest` against the folder `dir` it was read from.
 * @param json the parsed model.json
 * @param where the model.json path, prefixed to every message
 * @param maxBytes cap on the weights' total size in bytes
 * @returns the groups, the weight files (absolute paths, in manifest order) and the bytes they must hold
 * @throws Error when the manifest is malformed, a path leaves `dir` (absolute, `..`, or a symbolic link to a file
 *   outside), a shape is not a list of non-negative integers, a dtype is unknown, a
 *   tensor or the total exceeds `maxBytes`, a weight file is missing, or the files' total size differs from what
 *   the manifest needs (truncated or padded weights).
 */
export function checkWeightsManifest(json: unknown, dir: string, where: string, maxBytes = DEFAULT_MAX_WEIGHT_BYTES): CheckedManifest {
  const fail = (why: string): never => { throw new Error(`${where}: ${why}`); };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('not a JSON object');
  const manifest = (json as { weightsManifest?: unknown }).weightsManifest;
  if (!Array.isArray(manifest)) return fail('weightsManifest is missing or not a list');
  const files: string[] = [];
  let bytes = 0;
  manifest.forEach((group: unknown, g) => {
    const grp = group as Partial<ManifestGroup> | null;
    if (!grp || !Array.isArray(grp.paths) || !Array.isArray(grp.weights)) fail(`weightsManifest[${g}] needs "paths" and "weights" lists`);
    for (const p of grp!.paths!) {
      if (typeof p !== 'string' || p === '' || isAbsolute(p) || p.includes('\0')) fail(`weightsManifest[${g}]: the weight path ${JSON.stringify(p)} must be a relative file name`);
      const file = resolve(dir, p);
      const rel = relative(resolve(dir), file);
      if (rel.startsWith('..') || isAbsolute(rel)) fail(`weightsManifest[${g}]: the weight path ${JSON.stringify(p)} leaves the model's folder`);
      files.push(file);
    }
    grp!.weights!.forEach((w: unknown, k) => {
      const at = `weightsManifest[${g}].weights[${k}]`;
      const wt = w as Partial<ManifestWeight> | null;
      if (!wt || typeof wt.name !== 'string') fail(`${at} has no name`);
      const { shape, dtype } = wt!;
      if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`${at} ('${wt!.name}'): the shape must be a list of non-negative integers`);
      const storedAs = wt!.quantization?.dtype ?? dtype;
      const size = typeof storedAs === 'string' ? DTYPE_BYTES[storedAs] : undefined;
      if (typeof dtype !== 'string' || DTYPE_BYTES[dtype] === undefined || size === undefined) fail(`${at} ('${wt!.name}'): the dtype ${JSON.stringify(storedAs)} is not supported`);
      // Multiply in floating point: an absurd shape overflows to a huge number, never wraps around.
      const need = shape!.reduce((a, d) => a * d, size!);
      if (need > maxBytes || bytes + need > maxBytes) {
        fail(`${at} ('${wt!.name}', shape [${shape!.join(', ')}]) needs ${formatBytes(need)}; the model's weights may take at most ${formatBytes(maxBytes)}`);
      }
      bytes += need;
    });
  });
  let onDisk = 0;
  const realDir = realpathSync(dir);
  for (const file of files) {
    try {
      const real = realpathSync(file);
      const rel = relative(realDir, real);
      if (rel.startsWith('..') || isAbsolute(rel)) fail(`the weight file ${relative(dir, file)} is a link to ${real}, outside the model's folder`);
      onDisk += statSync(real).size;
    } catch (e) {
      if ((e as Error).message.startsWith(where)) throw e;
      fail(`the weight file ${relative(dir, file)} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  if (onDisk !== bytes) {
    fail(`the weight files hold ${onDisk} bytes but the manifest's weights need ${bytes}: ${onDisk < bytes ? 'truncated' : 'extra bytes'} (${files.map((f) => relative(dir, f)).join(', ') || 'no files'})`);
  }
  return { groups: manifest as ManifestGroup[], files, bytes };
}

/** Config fields whose integers size a layer's weights (Dense units, conv filters and kernels, input shapes). */
const SIZE_FIELDS = new Set(['units', 'filters', 'kernel_size', 'batch_input_shape', 'input_dim', 'output_dim', 'batch_shape']);

/**
 * Bounds the weights the topology would make TensorFlow.js allocate while it builds the layers, before the
 * manifest's weights replace them: every layer's kernel is at most (largest size in the model)² elements, so the
 * largest size squared, times 4 bytes, must fit `maxBytes`. A crafted `units: 1e9` is refused here instead of
 * exhausting memory inside tfjs.
 * @throws Error naming the field when a size is not a non-negative integer or the bound exceeds `maxBytes`.
 */
export function checkTopologySize(json: unknown, where: string, maxBytes = DEFAULT_MAX_WEIGHT_BYTES): void {
  let largest = 1;
  let field = '';
  const visit = (v: unknown, key: string, depth: number): void => {
    if (depth > 64) throw new Error(`${where}: modelTopology is nested more than 64 levels deep`);
    if (Array.isArray(v)) { for (const x of v) visit(x, key, depth + 1); return; }
    if (typeof v === 'object' && v !== null) { for (const [k, x] of Object.entries(v)) visit(x, k, depth + 1); return; }
    if (!SIZE_FIELDS.has(key) || v === null) return;
    if (!(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) throw new Error(`${where}: modelTopology's ${key} must hold non-negative integers, not ${JSON.stringify(v)}`);
    if (v > largest) { largest = v; field = key; }
  };
  visit((json as { modelTopology?: unknown } | null)?.modelTopology, '', 0);
  const bound = largest * largest * 4;
  if (bound > maxBytes) throw new Error(`${where}: modelTopology's ${field} of ${largest} would make layers of up to ${formatBytes(bound)}; the model's weights may take at most ${formatBytes(maxBytes)}`);
}

/** `1.5 GiB`, `12 KiB`, `100 B`. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

