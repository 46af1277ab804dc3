/**
 * Jobs the worker process runs, and the progress it reports. Shared by the worker, its client (used by the
 * language server and the CLI) and the pipeline. No LSP and no `vscode` here.
 */
import type { BackendName } from '../../../protocol/protocol';

export type BackendChoice = 'auto' | BackendName;

export interface WorkerJob {
  /** `train`: the whole pipeline; `explain`: load the spec's latest run and explain it again. */
  kind: 'train' | 'explain';
  /** Absolute path of the spec file. */
  specPath: string;
  /** Where run folders go; default `<spec folder>/.xai/runs`. */
  runsRoot?: string;
  backend?: BackendChoice;
}

export interface WorkerProgress {
  stage: 'load' | 'preprocess' | 'train' | 'explain' | 'write';
  message: string;
  /** 0…1 over the whole job, when known. */
  fraction?: number;
  epoch?: number;
  epochs?: number;
  loss?: number;
  valLoss?: number;
}
