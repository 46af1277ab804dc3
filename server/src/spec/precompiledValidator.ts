/**
 * The spec schema's validator compiled ahead of time. From source this is undefined and `schema.ts` compiles the
 * schema with ajv at run time; in the bundles (scripts/build.mjs) this module is replaced by ajv's standalone code
 * for the schema (scripts/schemaValidator.mjs), which spares the language server ~140 ms of CPU at start.
 */
import type { ValidateFunction } from 'ajv';

export const precompiledValidate: ValidateFunction | undefined = undefined;
