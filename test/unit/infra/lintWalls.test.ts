/**
 * The architecture's walls are lint rules (eslint.config.mjs); this runs the project's real ESLint config on small
 * sources placed (virtually) in each part, so that a config change that silently drops a wall fails the tests.
 */
import { ESLint } from 'eslint';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const eslint = new ESLint({ cwd: root });

/** The `no-restricted-imports` messages ESLint gives `code` as if it were the file at `path` (relative to root). */
async function wallErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint walls between the parts', () => {
  test.each([
    'server/src/spec/x.ts', 'server/src/data/x.ts', 'server/src/models/x.ts', 'server/src/explain/x.ts',
    'server/src/pipeline/x.ts', 'server/src/report/x.ts', 'server/src/worker/x.ts', 'server/src/cli.ts',
  ])('the engine file %s may import neither vscode nor the LSP libraries', async (path) => {
    const errors = await wallErrors(path, [
      "import * as vscode from 'vscode';",
      "import { createConnection } from 'vscode-languageserver/node';",
      "import { TextDocument } from 'vscode-languageserver-textdocument';",
      "import { readFileSync } from 'node:fs';",
      "import { parse } from 'yaml';",
      'export const x = [vscode, createConnection, TextDocument, readFileSync, parse];',
    ].join('\n'));
    expect(errors).toHaveLength(3);
  });

  test('the language server itself may use the LSP libraries', async () => {
    expect(await wallErrors('server/src/lsp/x.ts', "import { createConnection } from 'vscode-languageserver/node';\nexport const x = createConnection;")).toEqual([]);
  });

  test('the webview may import neither Node modules nor the server, only protocol/', async () => {
    const errors = await wallErrors('webview/src/flowchart/x.ts', [
      "import { readFileSync } from 'fs';",
      "import { join } from 'node:path';",
      "import { parseSpec } from '../../../server/src/spec/parse';",
      "import type { FlowGraph } from '../../../protocol/protocol';",
      "import mermaid from 'mermaid';",
      'export const x: unknown[] = [readFileSync, join, parseSpec, mermaid, null as FlowGraph | null];',
    ].join('\n'));
    expect(errors).toHaveLength(3);
  });

  test('the client may not import the server, only protocol/', async () => {
    const errors = await wallErrors('client/src/x.ts', [
      "import { runJob } from '../../server/src/worker/client';",
      "import { TrainRequest } from '../../protocol/protocol';",
      "import * as vscode from 'vscode';",
      "import { LanguageClient } from 'vscode-languageclient/node';",
      'export const x = [runJob, TrainRequest, vscode, LanguageClient];',
    ].join('\n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/protocol/);
  });
});
