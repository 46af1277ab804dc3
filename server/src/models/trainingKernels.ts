/**
 * Two TensorFlow.js kernels of our own for the MLP trainer on the wasm backend, registered through
 * `tf.registerKernel` as custom ops are; other backends get the same results from tfjs's ops.
 *
 * - transposeLast2, [1, m, k] → [1, k, m], and augmentedTranspose, [1, m, k] → [1, k + 1, m] with a last row of
 *   ones ([hᵀ; 1ᵀ], what a dense layer's weight-and-bias gradient multiplies). tfjs-backend-wasm's Transpose reads
 *   the input in order and writes with a stride of m floats. At m = 256 (a batch) that stride is 1 KiB, so the writes
 *   crowd into a few L1 cache sets: the 256 × 64 transpose each hidden layer's gradient needs took 45 µs, plus a
 *   concat for the ones. This loop writes in order and reads with the short stride k: about 15 µs.
 * - splitFlat, θ [n] → pieces of given shapes, in one kernel. tfjs's Slice on wasm copies the whole input out of the
 *   heap for every slice; cutting the parameter vector into a dense layer's kernel and bias that way was 6 kernels and
 *   6 copies of θ per training step.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const TRANSPOSE = 'XaiTransposeLast2';
const SPLIT = 'XaiSplitFlat';

interface KernelArgs { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }

function transposeOnWasm({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = inputs.x!;
  if (x.dtype !== 'float32' || x.shape.length !== 3 || x.shape[0] !== 1) throw new Error(`${TRANSPOSE}: expected a float32 [1, m, k] tensor, got ${x.dtype} [${x.shape.join(', ')}]`);
  const [, m, k] = x.shape as [number, number, number];
  const onesRow = attrs?.onesRow === true;
  const wasm = backend as BackendWasm;
  const out = wasm.makeOutput([1, onesRow ? k + 1 : k, m], 'float32');
  // Views taken after the output exists: allocating it can grow the wasm heap, which detaches older views.
  const src = wasm.typedArrayFromHeap(x) as Float32Array;
  const dst = wasm.typedArrayFromHeap(out) as Float32Array;
  for (let j = 0; j < k; j++) {
    const row = j * m;
    for (let r = 0; r < m; r++) dst[row + r] = src[r * k + j]!;
  }
  if (onesRow) dst.fill(1, k * m);
  return out;
}

function splitOnWasm({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const x = inputs.x!;
  const shapes = (attrs!.shapes as number[][]);
  const wasm = backend as BackendWasm;
  const outs = shapes.map((shape) => wasm.makeOutput(shape, 'float32'));
  const src = wasm.typedArrayFromHeap(x) as Float32Array;
  let offset = 0;
  for (const out of outs) {
    const dst = wasm.typedArrayFromHeap(out) as Float32Array;
    dst.set(src.subarray(offset, offset + dst.length));
    offset += dst.length;
  }
  return outs;
}

function ensureRegistered(name: string, kernelFunc: (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]): void {
  if (!tf.getKernel(name, 'wasm')) tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc });
}

/**
 * [1, m, k] → [1, k, m] (float32). A reshape when m or k is 1 (same memory order); on wasm our kernel; elsewhere
 * tf.transpose.
 * @throws Error on wasm for anything but a float32 [1, m, k] tensor.
 */
export function transposeLast2(t: tf.Tensor3D): tf.Tensor3D {
  const [, m, k] = t.shape;
  if (m === 1 || k === 1) return tf.reshape(t, [1, k, m]);
  if (tf.getBackend() !== 'wasm') return tf.transpose(t, [0, 2, 1]);
  ensureRegistered(TRANSPOSE, transposeOnWasm);
  return tf.engine().runKernel(TRANSPOSE, { x: t }, {}) as tf.Tensor3D;
}

/**
 * [hᵀ; 1ᵀ] [1, k + 1, m] of h [1, m, k] (float32): the transpose with a last row of ones. One kernel on wasm; elsewhere
 * a transpose and a concat.
 * @throws Error on wasm for anything but a float32 [1, m, k] tensor.
 */
export function augmentedTranspose(h: tf.Tensor3D): tf.Tensor3D {
  const m = h.shape[1];
  if (tf.getBackend() !== 'wasm') return tf.concat([transposeLast2(h), tf.ones([1, 1, m])], 1);
  ensureRegistered(TRANSPOSE, transposeOnWasm);
  return tf.engine().runKernel(TRANSPOSE, { x: h }, { onesRow: true }) as tf.Tensor3D;
}

/**
 * The consecutive pieces of a flat float32 vector x [n], each reshaped to its shape (in order, sizes summing to n):
 * one kernel on wasm, tf.split and reshapes elsewhere.
 * @throws Error when the shapes' sizes do not add up to n.
 */
export function splitFlat(x: tf.Tensor1D, shapes: readonly number[][]): tf.Tensor[] {
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== x.size) throw new Error(`splitFlat: the pieces hold ${total} values, the vector ${x.size}`);
  if (tf.getBackend() !== 'wasm' || x.dtype !== 'float32') return tf.split(x, sizes).map((piece, i) => tf.reshape(piece, shapes[i]!));
  ensureRegistered(SPLIT, splitOnWasm);
  return tf.engine().runKernel(SPLIT, { x }, { shapes: shapes as number[][] }) as unknown as tf.Tensor[];
}
