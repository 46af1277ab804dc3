/**
 * Chooses the TensorFlow.js backend: the native `tensorflow` backend of @tensorflow/tfjs-node when it is
 * installed (optional dependency), else WebAssembly (@tensorflow/tfjs-backend-wasm, its .wasm files shipped in
 * `dist/wasm/`), else the pure-JavaScript cpu backend.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from '../../../protocol/protocol';
import type { BackendChoice } from './jobs';

/** Where the wasm backend's `.wasm` files are: beside the bundle (`dist/wasm/`), else in node_modules. */
export function wasmDirectory(): string | undefined {
  const candidates = [
    typeof __dirname === 'string' ? join(__dirname, '../wasm/') : '',
    join(process.cwd(), 'dist/wasm/'),
    join(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'),
  ].filter(Boolean);
  return candidates.find((dir) => existsSync(join(dir, 'tfjs-backend-wasm.wasm')));
}

/** The cpu backend registers itself on import, but bundlers drop a bare import of it (sideEffects): register it here. */
function ensureCpuRegistered(): void {
  if (!tf.findBackendFactory('cpu')) tf.registerBackend('cpu', () => new MathBackendCPU(), 1);
}

async function tryTensorflow(log: (line: string) => void): Promise<boolean> {
  try {
    // A run-time require, kept out of the bundle: the package is native and optional.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-node');
  } catch (e) {
    log(`@tensorflow/tfjs-node is not available (${(e as Error).message.split('\n')[0]})`);
    return false;
  }
  // tfjs-node registers its backend with the tfjs-core it resolves from node_modules; when that is not the copy
  // this bundle holds, the backend is not ours to use.
  if (!tf.findBackendFactory('tensorflow')) {
    log('@tensorflow/tfjs-node loaded, but registered its backend with another copy of tfjs-core; skipped');
    return false;
  }
  try {
    return await tf.setBackend('tensorflow');
  } catch (e) {
    log(`the tensorflow backend failed to start: ${(e as Error).message}`);
    return false;
  }
}

async function tryWasm(log: (line: string) => void): Promise<boolean> {
  const dir = wasmDirectory();
  if (!dir) {
    log('the wasm backend files (tfjs-backend-wasm.wasm) were not found');
    return false;
  }
  setWasmPaths(dir);
  try {
    return await tf.setBackend('wasm');
  } catch (e) {
    log(`the wasm backend failed to start: ${(e as Error).message}`);
    return false;
  }
}

/**
 * Sets and readies the backend. `auto` tries tensorflow → wasm → cpu; a named backend is used or refused.
 * @returns the backend that runs.
 * @throws Error when a named backend cannot start.
 */
export async function selectBackend(choice: BackendChoice = 'auto', log: (line: string) => void = () => undefined): Promise<BackendName> {
  ensureCpuRegistered();
  const order: BackendName[] = choice === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [choice];
  for (const name of order) {
    const ok = name === 'tensorflow' ? await tryTensorflow(log) : name === 'wasm' ? await tryWasm(log) : await tf.setBackend('cpu');
    if (ok) {
      await tf.ready();
      log(`TensorFlow.js backend: ${name}`);
      return name;
    }
  }
  throw new Error(`the TensorFlow.js backend '${choice}' is not available here`);
}
