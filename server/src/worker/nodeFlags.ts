/**
 * V8 flags of the worker process. A 32 MiB young generation (Node 20's default is 16 MiB): loading a CSV allocates
 * one short-lived string per cell (20 million for 1 000 000 rows × 20 columns), and with the default size the
 * scavenger runs so often that garbage collection took 16 % of a load; with 32 MiB a 1M×20 load + preprocess takes
 * 3.45 s instead of 3.90 s for 30 MiB more peak memory (bench/data.mjs, which runs its child with these flags).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
