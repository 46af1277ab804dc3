/**
 * Export of the drawing as a standalone SVG (the colours the theme and overlays resolve to are written into the
 * file, with the editor's background behind) or as a PNG rasterised from that SVG on a canvas at 2× scale.
 * Browser only; the page posts the result to the host, which asks where to save it (webviews cannot download).
 */

/** Properties copied from the live elements' computed style into the export (the file has no --vscode-* variables). */
const PAINT = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'color', 'font-family', 'font-size', 'font-weight'] as const;

/**
 * A self-contained SVG document of `svg` as it looks now.
 * @returns the SVG text and its size in CSS px.
 */
export function standaloneSvg(svg: SVGSVGElement, background: string): { text: string; width: number; height: number } {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const live = [svg, ...svg.querySelectorAll<Element>('*')];
  const copies = [clone, ...clone.querySelectorAll<Element>('*')];
  live.forEach((el, i) => {
    const copy = copies[i] as HTMLElement | SVGElement | undefined;
    if (!copy || !('style' in copy)) return;
    const cs = getComputedStyle(el);
    for (const p of PAINT) copy.style.setProperty(p, cs.getPropertyValue(p));
  });
  // Interaction attributes mean nothing in a file.
  for (const el of clone.querySelectorAll('[tabindex], [role]')) { el.removeAttribute('tabindex'); el.removeAttribute('role'); }
  const box = svg.viewBox.baseVal;
  const width = Math.ceil(box && box.width ? box.width : svg.getBoundingClientRect().width);
  const height = Math.ceil(box && box.height ? box.height : svg.getBoundingClientRect().height);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.style.maxWidth = '';
  clone.style.minWidth = '';
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('x', String(box?.x ?? 0));
  bg.setAttribute('y', String(box?.y ?? 0));
  bg.setAttribute('width', String(width));
  bg.setAttribute('height', String(height));
  bg.setAttribute('fill', background);
  clone.insertBefore(bg, clone.firstChild);
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
  return { text, width, height };
}

/**
 * The PNG of a standalone SVG, base64 without the `data:` prefix.
 * @throws Error when the browser refuses to draw the SVG (then the SVG export still works).
 */
export async function pngBase64(svgText: string, width: number, height: number, scale = 2): Promise<string> {
  const image = new Image();
  image.decoding = 'sync';
  const loaded = new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('the browser could not draw the SVG'));
  });
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(scale, scale);
  ctx.drawImage(image, 0, 0, width, height);
  const url = canvas.toDataURL('image/png');
  return url.slice(url.indexOf(',') + 1);
}
