/**
 * The transpose of a batch of one matrix, [1, m, k] → [1, k, m], with its own TensorFlow.js kernel on the wasm
 * backend (registered through `tf.registerKernel`, as custom ops are).
 *
 * Why: tfjs-backend-wasm's Transpose reads the input in order and writes with a stride of m floats. At m = 256 (a
 * batch) that stride is 1 KiB, so the writes crowd into a few L1 cache sets: the 256 × 64 transpose each hidden layer's
 * weight gradient needs took 45 µs. This loop writes in order and reads with the short stride k: about 15 µs.
 * Other backends use tf.transpose.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const KERNEL = 'XaiTransposeLast2';

function transposeOnWasm({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const x = inputs.x!;
  if (x.dtype !== 'float32' || x.shape.length !== 3 || x.shape[0] !== 1) throw new Error(`${KERNEL}: expected a float32 [1, m, k] tensor, got ${x.dtype} [${x.shape.join(', ')}]`);
  const [, m, k] = x.shape as [number, number, number];
  const wasm = backend as BackendWasm;
  const out = wasm.makeOutput([1, k, m], 'float32');
  // Views taken after the output exists: allocating it can grow the wasm heap, which detaches older views.
  const src = wasm.typedArrayFromHeap(x) as Float32Array;
  const dst = wasm.typedArrayFromHeap(out) as Float32Array;
  for (let j = 0; j < k; j++) {
    const row = j * m;
    for (let r = 0; r < m; r++) dst[row + r] = src[r * k + j]!;
  }
  return out;
}

/**
 * [1, m, k] → [1, k, m] (float32). A reshape when m or k is 1 (same memory order); on wasm our kernel; elsewhere
 * tf.transpose.
 */
export function transposeLast2(t: tf.Tensor3D): tf.Tensor3D {
  const [, m, k] = t.shape;
  if (m === 1 || k === 1) return tf.reshape(t, [1, k, m]);
  if (tf.getBackend() !== 'wasm') return tf.transpose(t, [0, 2, 1]);
  if (!tf.getKernel(KERNEL, 'wasm')) tf.registerKernel({ kernelName: KERNEL, backendName: 'wasm', kernelFunc: transposeOnWasm as tf.KernelFunc });
  return tf.engine().runKernel(KERNEL, { x: t }, {}) as tf.Tensor3D;
}
