/**
 * The build's lazy copy of Mermaid's configuration (scripts/mermaidConfigCopy.mjs, issue 7) against Mermaid's own
 * `assignWithDepth`, on Mermaid's real configuration (the `base` theme the webview uses) and on edge cases. That the
 * build finds and applies it is tested with the other patches (flowchart-mermaid-patches.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a build script in plain JavaScript, without types
import { GET_CONFIG, lazyConfigCopy } from '../../scripts/mermaidConfigCopy.mjs';
import { ROOT } from './harness';

type Config = Record<string, unknown>;
type Chunk = { assignWithDepth_default: (dst: Config, src: Config) => Config; setSiteConfig: (c: Config) => Config };
const lazy = lazyConfigCopy as (src: Config) => Config;

const CHUNKS = join(ROOT, 'node_modules/mermaid/dist/chunks/mermaid.core');
/** Mermaid's chunk that defines getConfig (its name carries a content hash). */
const chunkFile = readdirSync(CHUNKS).find((n) => n.endsWith('.mjs') && readFileSync(join(CHUNKS, n), 'utf8').includes(GET_CONFIG as string));

async function mermaidConfigModule(): Promise<Chunk> {
  return (await import(pathToFileURL(join(CHUNKS, chunkFile!)).href)) as Chunk;
}

/** Keys in order, at every level, with undefined values kept (toStrictEqual ignores key order). */
function shape(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v === undefined ? '<undefined>' : typeof v === 'function' ? '<function>' : v;
  return Array.isArray(v) ? v.map(shape) : Object.keys(v).map((k) => [k, shape((v as Config)[k])]);
}

describe("Mermaid's configuration copy", () => {
  it("equals Mermaid's own copy of its full configuration with the webview's theme", async () => {
    const m = await mermaidConfigModule();
    const site = m.setSiteConfig({
      startOnLoad: false, securityLevel: 'strict', theme: 'base', darkMode: false, maxTextSize: 400_000,
      themeVariables: { primaryColor: '#f3f3f3', lineColor: '#616161', fontFamily: 'system-ui', fontSize: '13px' },
      flowchart: { htmlLabels: true, useMaxWidth: true, curve: 'basis' },
    });
    const ours = lazy(site);
    const theirs = m.assignWithDepth_default({}, site);
    expect(Object.keys((ours.themeVariables as Config))).toHaveLength(Object.keys(theirs.themeVariables as Config).length);
    expect(ours).toStrictEqual(theirs);
    expect(shape(ours)).toEqual(shape(theirs));
    // A fresh copy: writing to it changes neither the source nor the next copy.
    (lazy(site).flowchart as Config).arrowMarkerAbsolute = 'written';
    expect((lazy(site).flowchart as Config).arrowMarkerAbsolute).not.toBe('written');
  });

  it('copies lazily what is read, and completes in order on the first write, delete or key listing', async () => {
    const m = await mermaidConfigModule();
    const src: Config = { a: 1, f: { x: 1, deep: { y: 2 } }, n: null, list: [1, 1, 2], s: 'text', z: { w: 3 } };
    const theirs = m.assignWithDepth_default({}, src);
    // Reads: values equal the eager copy's; an object read twice is the same copy; nulls are absent.
    const c = lazy(src);
    const flow = c.f as Config;
    expect(flow).toStrictEqual(theirs.f);
    expect(flow).not.toBe(src.f);
    expect(c.f).toBe(flow);
    expect(c.n).toBeUndefined();
    expect('n' in c).toBe(false);
    expect('a' in c && 'toString' in c).toBe(true);
    expect(c.list).toEqual([1, 2]);
    // A write through a read object stays in this copy (and its identity survives completion).
    flow.x = 'written';
    c.s = 'mine';
    expect(Object.keys(c)).toEqual(['a', 'f', 'list', 's', 'z']);
    expect(c.f).toBe(flow);
    expect(c).toStrictEqual({ ...theirs, f: { ...(theirs.f as Config), x: 'written' }, s: 'mine' });
    expect((src.f as Config).x).toBe(1);
    expect(lazy(src)).toStrictEqual(theirs);
    // Keys added by the caller come after the copied ones, deletes stick, spreading sees the whole copy.
    const d = lazy(src);
    void d.z;
    d.added = true;
    delete d.a;
    expect(Object.keys(d)).toEqual(['f', 'list', 's', 'z', 'added']);
    expect({ ...lazy(src) }).toStrictEqual(theirs);
    expect(JSON.stringify(lazy(src))).toBe(JSON.stringify(theirs));
  });

  it('equals assignWithDepth on nulls, undefined, arrays with repeats, functions and deep objects', async () => {
    const m = await mermaidConfigModule();
    const fn = (): number => 1;
    const deep = { d: { e: { f: 1 } } };
    const src: Config = {
      a: null, b: undefined, c: [1, 1, 2, 'x', 'x'], f: fn, n: 0, s: '',
      o: { p: null, q: [3, 3], r: { s: null, t: [4, 4], u: deep, v: undefined }, w: undefined }, e: {},
      // An own `__proto__` key (as JSON.parse makes one) stays a key; it never becomes the copy's prototype.
      j: JSON.parse('{"__proto__": {"polluted": true}, "k": 1}') as Config,
    };
    const ours = lazy(src);
    const theirs = m.assignWithDepth_default({}, src);
    expect(ours).toStrictEqual(theirs);
    expect(shape(ours)).toEqual(shape(theirs));
    // Below the copied levels both share the source's objects.
    expect(((ours.o as Config).r as Config).u).toBe(((theirs.o as Config).r as Config).u);
    expect(Object.getPrototypeOf(ours.j)).toBe(Object.prototype);
    expect(Object.keys(ours.j as Config)).toEqual(['__proto__', 'k']);
  });
});
