// Mermaid's `getConfig()` returns a fresh copy of its whole configuration (every diagram's defaults and ~270 theme
// variables, ~880 keys) made by `assignWithDepth`, which defines each key with `Object.defineProperty`. A flowchart
// render calls it ~735 times at 60 nodes (several times per node and edge), and the copies took about two thirds of
// `mermaid.render` (issue 7, `node bench/webview.mjs`). The build (scripts/mermaidPatches.mjs) makes `getConfig`
// return `lazyConfigCopy(currentConfig)`: a copy that behaves as Mermaid's own but copies only the keys its caller
// reads (most read one to three). Still a copy per call, never one shared object: callers write to theirs (the
// flowchart's `init` sets `cnf.flowchart.arrowMarkerAbsolute`).

/** The body Mermaid (11.x, 12.x) gives `getConfig` in its ESM chunks. */
export const GET_CONFIG = 'return assignWithDepth_default({}, currentConfig);';

/**
 * What `assignWithDepth({}, src)` (depth 2) returns (own enumerable keys copied; null values dropped; arrays copied
 * without duplicates; objects copied two levels deep and shallowly below that), made lazily: a Proxy that copies a
 * top-level key from `src` the first time it is read, so a caller that reads `getConfig().flowchart` pays for that
 * key alone, not for ~880. The first operation other than a read (a write, a delete, listing the keys, a descriptor)
 * completes the copy in `src`'s key order, and from then on the Proxy forwards to it: a writer gets the whole copy. Exact only because Mermaid never changes
 * a configuration object it has made `currentConfig` (it replaces it); `src` must be such an object. Self-contained
 * (the build injects its text into Mermaid's chunk).
 * @param {Record<string, unknown>} src a Mermaid configuration that is never mutated
 * @returns {Record<string, unknown>} a Proxy that behaves as a fresh copy
 */
export function lazyConfigCopy(src) {
  const uniq = (a) => { const out = []; for (const v of a) if (!out.includes(v)) out.push(v); return out; };
  const put = (dst, key, value) => {
    if (key === '__proto__') Object.defineProperty(dst, key, { value, writable: true, enumerable: true, configurable: true });
    else dst[key] = value;
  };
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
  const own = (key) => typeof key === 'string' && Object.prototype.propertyIsEnumerable.call(src, key) && src[key] !== null;
  const copyOf = (v) => (typeof v !== 'object' ? v : Array.isArray(v) ? uniq(v) : level(v, 1));
  const target = {};
  let whole = false;
  // Re-lays the keys read so far (the same values: a caller may hold them) among the rest, in src's order.
  const complete = () => {
    if (whole) return;
    whole = true;
    const read = new Map(Object.keys(target).map((k) => [k, target[k]]));
    for (const k of read.keys()) delete target[k];
    for (const k of Object.keys(src)) if (own(k)) put(target, k, read.has(k) ? read.get(k) : copyOf(src[k]));
  };
  const forward = (trap) => (t, ...args) => { complete(); return Reflect[trap](t, ...args); };
  return new Proxy(target, {
    get(t, key, receiver) {
      if (!whole && own(key) && !Object.prototype.hasOwnProperty.call(t, key)) put(t, key, copyOf(src[key]));
      return Reflect.get(t, key, receiver);
    },
    has(t, key) {
      return (!whole && own(key)) || Reflect.has(t, key);
    },
    set: forward('set'), deleteProperty: forward('deleteProperty'), defineProperty: forward('defineProperty'),
    ownKeys: forward('ownKeys'), getOwnPropertyDescriptor: forward('getOwnPropertyDescriptor'),
    setPrototypeOf: forward('setPrototypeOf'), preventExtensions: forward('preventExtensions'),
  });
}
