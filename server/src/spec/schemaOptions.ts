/**
 * How the spec schema is compiled with ajv, in one place for the two ways it is: at run time (tests and the
 * engine from source, `schema.ts`) and ahead of time into the bundles (`scripts/schemaValidator.mjs`, ajv's
 * standalone code), so that both validate alike.
 */
import type { Ajv, Options } from 'ajv';

// allErrors: report every problem at once; verbose: errors carry their parentSchema (for known keys).
// strictRequired off: `anyOf: [{ required: [equals] }, …]` beside the parent's `properties` is ordinary JSON Schema.
export const AJV_OPTIONS: Options = { allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true };

/** Keywords beyond JSON Schema: markdownDescription is an editor annotation (VS Code), declared for strict mode. */
export function addSpecKeywords(ajv: Ajv): void {
  ajv.addKeyword({ keyword: 'markdownDescription', schemaType: 'string' });
}
