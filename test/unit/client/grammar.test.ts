/**
 * The TextMate grammar of `*.xai.yaml` (syntaxes/xai-pipeline.tmLanguage.json), tokenized the way VS Code does it:
 * with vscode-textmate and vscode-oniguruma and VS Code's own YAML grammar (source.yaml), all taken from the
 * code-server 4.100.3 that `npm test` installs into .tools/. Checks that the spec's vocabulary gets its scopes and
 * that the injection never derails YAML's own tokenizer (no invalid.illegal token in the example).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const ROOT = join(__dirname, '../../..');
const VSCODE = join(ROOT, '.tools/code-server/node_modules/code-server/lib/vscode');
const YAML_SYNTAXES = join(VSCODE, 'extensions/yaml/syntaxes');
const GRAMMAR_FILES: Record<string, string> = {
  'source.xai-pipeline': join(ROOT, 'syntaxes/xai-pipeline.tmLanguage.json'),
  'source.yaml': join(YAML_SYNTAXES, 'yaml.tmLanguage.json'),
  'source.yaml.1.3': join(YAML_SYNTAXES, 'yaml-1.3.tmLanguage.json'),
  'source.yaml.1.2': join(YAML_SYNTAXES, 'yaml-1.2.tmLanguage.json'),
  'source.yaml.1.1': join(YAML_SYNTAXES, 'yaml-1.1.tmLanguage.json'),
  'source.yaml.1.0': join(YAML_SYNTAXES, 'yaml-1.0.tmLanguage.json'),
  'source.yaml.embedded': join(YAML_SYNTAXES, 'yaml-embedded.tmLanguage.json'),
};

interface Token { text: string; scopes: string[] }
type Tokenize = (text: string) => Token[][];

/* eslint-disable @typescript-eslint/no-explicit-any -- vscode-textmate is loaded from code-server's folder, untyped here */
async function loadTokenizer(): Promise<Tokenize> {
  const req = createRequire(join(VSCODE, 'package.json'));
  const tm = req('vscode-textmate') as any;
  const onig = req('vscode-oniguruma') as any;
  await onig.loadWASM(readFileSync(req.resolve('vscode-oniguruma/release/onig.wasm')).buffer);
  const registry = new tm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new onig.OnigScanner(p), createOnigString: (s: string) => new onig.OnigString(s) }),
    loadGrammar: async (scope: string) => {
      const file = GRAMMAR_FILES[scope];
      return file ? tm.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
  });
  const grammar = await registry.loadGrammar('source.xai-pipeline');
  return (text) => {
    let state = tm.INITIAL;
    return text.split('\n').map((line) => {
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      return r.tokens.map((t: any) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes as string[] }));
    });
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The scopes of the first token whose text is `text` on the first line that has one. */
function scopesOf(lines: Token[][], text: string): string[] {
  for (const line of lines) {
    const token = line.find((t) => t.text === text);
    if (token) return token.scopes;
  }
  throw new Error(`no token '${text}'`);
}

describe.skipIf(!existsSync(YAML_SYNTAXES))('the xai-pipeline TextMate grammar over VS Code\'s YAML grammar', () => {
  let tokenize: Tokenize;
  const example = readFileSync(join(ROOT, 'examples/stock-price/stock-price.xai.yaml'), 'utf8');
  beforeAll(async () => { tokenize = await loadTokenizer(); });

  test('the example has no invalid token and keeps YAML\'s key/value punctuation', () => {
    const lines = tokenize(example);
    const invalid = lines.flat().filter((t) => t.scopes.some((s) => s.startsWith('invalid.')));
    expect(invalid).toEqual([]);
    expect(scopesOf(lines, ':')).toContain('punctuation.separator.map.value.yaml');
  });

  test('section keys, steps, explainers and vocabulary values get their scopes', () => {
    const lines = tokenize(example);
    for (const key of ['version', 'data', 'preprocessing', 'model', 'training', 'explanation']) {
      expect(scopesOf(lines, key), key).toContain('keyword.control.section.xai-pipeline');
      expect(scopesOf(lines, key), key).toContain('entity.name.tag.yaml');
    }
    for (const step of ['lags', 'split', 'standardize', 'filter', 'sort']) {
      expect(scopesOf(lines, step), step).toContain('entity.name.function.step.xai-pipeline');
    }
    expect(scopesOf(lines, 'permutation_importance')).toContain('entity.name.function.explainer.xai-pipeline');
    expect(scopesOf(lines, 'mlp')).toContain('support.type.model.xai-pipeline');
    expect(scopesOf(lines, 'relu')).toContain('support.constant.activation.xai-pipeline');
    expect(scopesOf(lines, 'linear')).toContain('support.constant.activation.xai-pipeline');
    expect(scopesOf(lines, 'adam')).toContain('support.constant.optimizer.xai-pipeline');
    expect(scopesOf(lines, 'chronological')).toContain('support.constant.split-method.xai-pipeline');
  });

  test('vocabulary inside comments, quoted strings and non-section keys stays plain YAML', () => {
    const lines = tokenize([
      '# model: mlp',
      'data:',
      '  source: "mlp"',
      '  model: relu',
      'explanation:',
      '  - permutation_importance:',
      '      split: validation',
    ].join('\n'));
    // Every token carries the root scope source.xai-pipeline; no other scope of ours may appear.
    const ours = (line: Token[]) => line.flatMap((t) => t.scopes).filter((s) => s.endsWith('.xai-pipeline') && s !== 'source.xai-pipeline');
    expect(ours(lines[0]!)).toEqual([]);
    expect(ours(lines[2]!)).toEqual([]);
    // `model` nested under data is not a section; `split` inside an explainer is not a preprocessing step.
    expect(lines[3]!.find((t) => t.text === 'model')!.scopes).not.toContain('keyword.control.section.xai-pipeline');
    expect(lines[6]!.find((t) => t.text === 'split')!.scopes).not.toContain('entity.name.function.step.xai-pipeline');
  });
});
