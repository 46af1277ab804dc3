/**
 * Test-only fault injection for the worker, honoured only when NODE_ENV is `test` (vitest sets it; a user's editor
 * does not), so that the fault tests can make a real worker hang the way a stuck job would:
 *
 *   XAI_WORKER_TEST_HANG=<spec file name>:<epoch>   e.g. `hang.xai.yaml:2`
 *
 * After reporting that epoch of that spec, the worker's main thread blocks for good (Atomics.wait: no CPU spent),
 * so it sends no heartbeat and answers nothing: only the client's watchdog can end it.
 */
import { basename } from 'node:path';

/** Whether the test environment asks this job to hang after `epoch`. */
export function hangRequested(specPath: string, epoch: number | undefined): boolean {
  if (process.env.NODE_ENV !== 'test' || epoch === undefined) return false;
  const m = /^(.+):(\d+)$/.exec(process.env.XAI_WORKER_TEST_HANG ?? '');
  return m !== null && m[1] === basename(specPath) && Number(m[2]) === epoch;
}

/** Blocks the calling thread forever without spinning. */
export function hangForever(): never {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0);
}
