// An esbuild plugin for the webview bundles: Mermaid's `getConfig()` returns a fresh copy of its whole configuration
// (every diagram's defaults and ~270 theme variables, ~800 keys) made by `assignWithDepth`, which defines each key
// with `Object.defineProperty`. A flowchart render calls it several times per node and edge; for a 60-node flowchart
// the copies took about two thirds of `mermaid.render` (issue 7, `node bench/webview.mjs`). The plugin swaps the copy
// for `copyConfig` below: the same result (a fresh copy per call, same keys and depth), made with plain assignments.
// Still a copy per call, not one shared copy: callers write to theirs (the flowchart's `init` sets
// `cnf.flowchart.arrowMarkerAbsolute`). Mermaid is unchanged otherwise; when its text no longer matches (a new
// version), the build warns and Mermaid's own copy stays.
import { readFile } from 'node:fs/promises';

/** The body Mermaid (11.x, 12.x) gives `getConfig` in its ESM chunks. */
export const GET_CONFIG = 'return assignWithDepth_default({}, currentConfig);';

/**
 * What `assignWithDepth({}, src)` (depth 2) returns: own enumerable keys copied; null values dropped; arrays copied
 * without duplicates; objects copied two levels deep and shallowly below that. Pure.
 * @param {Record<string, unknown>} src a Mermaid configuration
 * @returns {Record<string, unknown>} a fresh copy
 */
export function copyConfig(src) {
  const put = (dst, key, value) => {
    if (key === '__proto__') Object.defineProperty(dst, key, { value, writable: true, enumerable: true, configurable: true });
    else dst[key] = value;
  };
  const uniq = (a) => { const out = []; for (const v of a) if (!out.includes(v)) out.push(v); return out; };
  const level = (from, depth) => {
    const dst = {};
    for (const key of Object.keys(from)) {
      const v = from[key];
      if (typeof v !== 'object') put(dst, key, v);
      else if (v === null) continue;
      else if (Array.isArray(v)) put(dst, key, uniq(v));
      else put(dst, key, depth > 1 ? level(v, depth - 1) : Object.assign({}, v));
    }
    return dst;
  };
  return level(src, 2);
}

/**
 * Rewrites the text of one Mermaid chunk: `getConfig` returns `copyConfig(currentConfig)`. Returns null when `GET_CONFIG`
 * is not in the text.
 * @param {string} text an ESM chunk of mermaid/dist
 * @returns {string | null}
 */
export function patchGetConfig(text) {
  if (!text.includes(GET_CONFIG)) return null;
  // A function declaration: hoisted, so callable while the chunk is still evaluating.
  const decl = copyConfig.toString().replace(/^function copyConfig\(/, 'function __xai_copyConfig(');
  return `${text.replace(GET_CONFIG, 'return __xai_copyConfig(currentConfig);')}\n${decl}\n`;
}

/** The plugin: applies `patchGetConfig` to the chunk of mermaid/dist that defines `getConfig`. */
export const mermaidConfigCopy = {
  name: 'mermaid-config-copy',
  setup(build) {
    let patched = false;
    let sawMermaid = false;
    build.onStart(() => { patched = false; sawMermaid = false; });
    build.onLoad({ filter: /[\\/]mermaid[\\/]dist[\\/].*\.mjs$/ }, async (args) => {
      sawMermaid = true;
      const text = await readFile(args.path, 'utf8');
      const out = patchGetConfig(text);
      if (out === null) return undefined;
      patched = true;
      return { contents: out, loader: 'js' };
    });
    build.onEnd(() => {
      if (sawMermaid && !patched) {
        console.warn('mermaid-config-copy: Mermaid\'s getConfig was not found; its slower copy stays (see scripts/mermaidConfigCopy.mjs)');
      }
    });
  },
};
