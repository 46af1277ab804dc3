/**
 * One-hot groups as explanation groups: an encoded column's indicators (`Island=Biscoe`, `Island=Dream`, …) are
 * permuted or attributed together under the original column's name, every other feature on its own.
 */

/**
 * The groups [n_groups] in feature order: a one-hot group where its first indicator appears, named by its column.
 * @param features the model's features, in order; groups original column → its indicator features.
 */
export function explanationGroups(features: readonly string[], groups: Readonly<Record<string, readonly string[]>>): { name: string; columns: string[] }[] {
  const owner = new Map<string, string>();
  for (const [name, cols] of Object.entries(groups)) for (const c of cols) owner.set(c, name);
  const out: { name: string; columns: string[] }[] = [];
  const seen = new Set<string>();
  for (const f of features) {
    const g = owner.get(f);
    if (g === undefined) out.push({ name: f, columns: [f] });
    else if (!seen.has(g)) {
      seen.add(g);
      out.push({ name: g, columns: features.filter((x) => owner.get(x) === g) });
    }
  }
  return out;
}
