/**
 * The Mermaid patch that remembers sanitised labels (scripts/mermaidSanitizeMemo.mjs): the same answer as the
 * sanitiser it wraps, computed once per text and per the settings the answer depends on.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a build script in plain JavaScript, without types
import { memoSanitize } from '../../../scripts/mermaidSanitizeMemo.mjs';

type Config = { securityLevel?: string; dompurifyConfig?: unknown; htmlLabels?: boolean };
const memo = memoSanitize as (text: unknown, config: Config, html: (c: Config) => boolean, sanitize: (t: unknown, c: Config) => unknown) => unknown;

describe('memoSanitize', () => {
  it('computes a text once per security level, label kind and DOMPurify options', () => {
    const calls: string[] = [];
    const sanitize = (t: unknown, c: Config): string => { calls.push(`${String(t)}|${c.securityLevel}`); return `[${String(t)}:${c.securityLevel}]`; };
    const html = (c: Config): boolean => c.htmlLabels ?? true;
    const strict = { securityLevel: 'strict' };
    expect(memo('a#95;b', strict, html, sanitize)).toBe('[a#95;b:strict]');
    expect(memo('a#95;b', { securityLevel: 'strict' }, html, sanitize)).toBe('[a#95;b:strict]');
    expect(calls).toHaveLength(1);
    expect(memo('a#95;b', { securityLevel: 'loose' }, html, sanitize)).toBe('[a#95;b:loose]');
    memo('a#95;b', { securityLevel: 'strict', htmlLabels: false }, html, sanitize);
    memo('a#95;b', { securityLevel: 'strict', dompurifyConfig: { FORBID_TAGS: ['a'] } }, html, sanitize);
    expect(calls).toHaveLength(4);
  });

  it('passes empty and non-string labels through without keeping them', () => {
    let n = 0;
    const sanitize = (t: unknown): unknown => { n++; return t; };
    const lines = ['x', 'y'];
    expect(memo(lines, { securityLevel: 'strict' }, () => true, sanitize)).toBe(lines);
    expect(memo('', { securityLevel: 'strict' }, () => true, sanitize)).toBe('');
    memo('', { securityLevel: 'strict' }, () => true, sanitize);
    expect(n).toBe(3);
  });
});
