// An esbuild plugin for the webview bundles: a few text patches to Mermaid (and the dagre it lays out with) that make
// a flowchart render cheaper (issue 7: a 60-node flowchart re-renders in under 100 ms) without changing what it
// draws, but for one thing: edges without a label get no empty label group. Each patch names the exact texts it
// replaces; when an upgrade changes one of them, the build warns and the published code stays.
// test/webview/flowchart-mermaid-patches.test.ts draws the same graphs with and without the patches and compares
// the SVGs.
import { readFile } from 'node:fs/promises';
import { GET_CONFIG, lazyConfigCopy } from './mermaidConfigCopy.mjs';
import { memoSanitize } from './mermaidSanitizeMemo.mjs';

/**
 * Each edit's `find` is replaced by its `replace` in the one file under `module` that holds them all (all or none:
 * a patch is one change); `append` goes at that file's end.
 * @typedef {{ find: string, replace: string }} Edit
 * @typedef {{ name: string, module: 'mermaid' | 'dagre-d3-es', edits: Edit[], append?: string }} MermaidPatch
 */

/** @type {MermaidPatch[]} */
export const PATCHES = [
  {
    // ~735 calls per 60-node render, each copying ~880 keys (scripts/mermaidConfigCopy.mjs).
    name: 'getConfig copies lazily',
    module: 'mermaid',
    edits: [{ find: GET_CONFIG, replace: 'return __xai_copyConfig(currentConfig);' }],
    // A function declaration: hoisted, so callable while the chunk is still evaluating.
    append: lazyConfigCopy.toString().replace(/^function lazyConfigCopy\(/, 'function __xai_copyConfig('),
  },
  {
    // insertEdge measures every edge's length, a forced layout of the whole drawing per edge, but only the "neo"
    // look's dash arrays use it.
    name: 'edge length only for the neo look',
    module: 'mermaid',
    edits: [{
      find: 'const len = typeof pathNode.getTotalLength === "function" ? pathNode.getTotalLength() : 0;',
      replace: 'const len = edge.look === "neo" && !animatedEdge && typeof pathNode.getTotalLength === "function" ? pathNode.getTotalLength() : 0;',
    }],
  },
  {
    // The dagre layout gives every edge a label group (a foreignObject, a div, a span) and measures it, a forced
    // layout each, even when the edge has no label: ~630 empty elements at 60 nodes for DOMPurify and the browser
    // to go through. An edge without a label now gets none; dagre sizes a missing label 0 × 0, as the empty one
    // measured. The only change to the SVG: the empty `g.edgeLabel` groups are gone.
    name: 'no empty edge labels',
    module: 'mermaid',
    edits: [{
      find: '      await insertEdgeLabel(edgeLabels, edge);\n    });\n    await Promise.all(edgePromises);',
      replace: '      if (edge.label || edge.startLabelLeft || edge.startLabelRight || edge.endLabelLeft || edge.endLabelRight) await insertEdgeLabel(edgeLabels, edge);\n    });\n    await Promise.all(edgePromises);',
    }],
  },
  {
    // Mermaid sanitises the SVG it drew as text: DOMPurify parses it, cleans it and serialises it again, and the
    // page then parses that text once more to show it. A page that opts in (a `globalThis.__xaiSanitizedSvg` Map)
    // gets DOMPurify's cleaned nodes themselves, by render id, to move onto the screen; `svg` is then ''. The same
    // sanitiser with the same options: only the serialise-and-parse round trip is skipped.
    name: 'sanitized nodes for the page',
    module: 'mermaid',
    edits: [{
      find: '      code = DOMPurify.sanitize(code, {\n        ADD_TAGS: DOMPURIFY_TAGS,\n        ADD_ATTR: DOMPURIFY_ATTR,\n        HTML_INTEGRATION_POINTS: { foreignobject: true }\n      });',
      replace: '      const __xaiOptions = { ADD_TAGS: DOMPURIFY_TAGS, ADD_ATTR: DOMPURIFY_ATTR, HTML_INTEGRATION_POINTS: { foreignobject: true } };\n'
        + '      const __xaiNodes = globalThis.__xaiSanitizedSvg;\n'
        + '      if (__xaiNodes instanceof Map) { __xaiNodes.set(id39, DOMPurify.sanitize(code, { ...__xaiOptions, RETURN_DOM: true })); code = ""; }\n'
        + '      else code = DOMPurify.sanitize(code, __xaiOptions);',
    }],
  },
  {
    // Dagre's crossing minimisation sweeps until four sweeps in a row find no fewer crossings than the best so far.
    // Once a sweep finds none, no later one can be kept (it would need fewer than zero), and the layering kept is
    // assigned again after the loop, overwriting what later sweeps write: stopping there gives the same order.
    name: 'order stops at zero crossings',
    module: 'dagre-d3-es',
    edits: [{
      find: '      best = _.cloneDeep(layering);\n      bestCC = cc;\n    }\n',
      replace: '      best = _.cloneDeep(layering);\n      bestCC = cc;\n    }\n    if (bestCC === 0) break;\n',
    }],
  },
  {
    // The layer graphs for downward sweeps are built up front, but the first sweep is upward: when it finds no
    // crossings (above), they are never used. Built on first use instead, from the same ranks and borders (sweeps
    // change only the nodes' order, which building does not read).
    name: 'down layer graphs built when first swept',
    module: 'dagre-d3-es',
    edits: [
      { find: "    downLayerGraphs = buildLayerGraphs(g, _.range(1, maxRank + 1), 'inEdges'),\n", replace: '    downLayerGraphs,\n' },
      {
        find: '    sweepLayerGraphs(i % 2 ? downLayerGraphs : upLayerGraphs, i % 4 >= 2);',
        replace: "    sweepLayerGraphs(i % 2 ? (downLayerGraphs ??= buildLayerGraphs(g, _.range(1, maxRank + 1), 'inEdges')) : upLayerGraphs, i % 4 >= 2);",
      },
    ],
  },
  {
    // Every label is sanitised twice per render (when the parser stores it and when it is drawn), each time by two
    // DOMPurify passes that re-read their configuration and build a document: ~240 passes at 60 nodes, though most
    // labels are the same from one render to the next. The result depends only on the text and on the three
    // settings sanitizeText reads, so it is kept by those (scripts/mermaidSanitizeMemo.mjs).
    name: 'label sanitising remembered',
    module: 'mermaid',
    edits: [{
      find: 'var sanitizeText = /* @__PURE__ */ __name((text, config2) => {\n  if (!text) {',
      replace: 'var sanitizeText = /* @__PURE__ */ __name((text, config2) => __xai_memoSanitize(text, config2, getEffectiveHtmlLabels, __xai_sanitizeTextOnce), "sanitizeText");\n'
        + 'var __xai_sanitizeTextOnce = /* @__PURE__ */ __name((text, config2) => {\n  if (!text) {',
    }],
    append: memoSanitize.toString().replaceAll('memoSanitize', '__xai_memoSanitize'),
  },
];

/**
 * Applies every patch whose edits all find their text in `text` (one file of the patched module).
 * @param {string} text a module's file
 * @param {MermaidPatch[]} patches
 * @returns {{ text: string, applied: string[] }} the patched text and the names of the patches applied
 * @throws Error when an edit's text occurs more than once (it would be ambiguous)
 */
export function applyPatches(text, patches = PATCHES) {
  const applied = [];
  let out = text;
  for (const p of patches) {
    const at = p.edits.map((e) => out.indexOf(e.find));
    if (at.some((i) => i < 0)) continue;
    p.edits.forEach((e, k) => {
      if (out.indexOf(e.find, at[k] + 1) >= 0) throw new Error(`mermaid patch '${p.name}': its text occurs more than once`);
    });
    for (const e of p.edits) out = out.replace(e.find, () => e.replace);
    if (p.append) out += `\n${p.append}\n`;
    applied.push(p.name);
  }
  return { text: out, applied };
}

/**
 * The plugin; `patches` defaults to all of them (tests pass none to build Mermaid as published).
 * @param {MermaidPatch[]} patches
 */
export function mermaidPatches(patches = PATCHES) {
  return {
    name: 'mermaid-patches',
    setup(build) {
      const applied = new Set();
      let sawMermaid = false;
      build.onStart(() => { applied.clear(); sawMermaid = false; });
      build.onLoad({ filter: /[\\/](mermaid[\\/]dist|dagre-d3-es[\\/]src)[\\/].*\.m?js$/ }, async (args) => {
        sawMermaid = true;
        const module = /[\\/]dagre-d3-es[\\/]/.test(args.path) ? 'dagre-d3-es' : 'mermaid';
        const result = applyPatches(await readFile(args.path, 'utf8'), patches.filter((p) => p.module === module));
        if (!result.applied.length) return undefined;
        for (const name of result.applied) applied.add(name);
        return { contents: result.text, loader: 'js' };
      });
      build.onEnd(() => {
        if (!sawMermaid) return;
        for (const p of patches) {
          if (!applied.has(p.name)) console.warn(`mermaid-patches: '${p.name}' did not find its text; Mermaid's own code stays (see scripts/mermaidPatches.mjs)`);
        }
      });
    },
  };
}
