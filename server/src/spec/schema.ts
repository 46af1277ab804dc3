/**
 * The spec language's JSON Schema (`schemas/xai-pipeline.schema.json`, draft-07), compiled once with ajv (ahead
 * of time in the bundles: precompiledValidator.ts). The same file is what editors use for completion and hover,
 * so the server and the editor never disagree.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schemaJson from '../../../schemas/xai-pipeline.schema.json';
import { precompiledValidate } from './precompiledValidator';
import { AJV_OPTIONS, addSpecKeywords } from './schemaOptions';

/** A JSON Schema node as far as this code reads it. */
export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  markdownDescription?: string;
  $ref?: string;
  anyOf?: SchemaNode[];
  definitions?: Record<string, SchemaNode>;
  [keyword: string]: unknown;
}

export const specSchema = schemaJson as unknown as SchemaNode;

function compileAtRunTime(): ValidateFunction {
  const ajv = new Ajv(AJV_OPTIONS);
  addSpecKeywords(ajv);
  return ajv.compile(specSchema);
}

const validateFn: ValidateFunction = precompiledValidate ?? compileAtRunTime();

/** Validates plain YAML data against the schema; returns ajv's raw errors (empty when valid). Never throws. */
export function validateAgainstSchema(data: unknown): ErrorObject[] {
  return validateFn(data) ? [] : [...(validateFn.errors ?? [])];
}

/** Follows `$ref: '#/definitions/x'` within the spec schema. */
export function deref(node: SchemaNode | undefined): SchemaNode | undefined {
  if (!node?.$ref) return node;
  const name = node.$ref.replace(/^#\/definitions\//, '');
  return specSchema.definitions?.[name];
}

/** The schema node that describes the value at a data path such as ['preprocessing', 0, 'lags'], if any. */
export function schemaAt(path: readonly (string | number)[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = specSchema;
  for (const seg of path) {
    node = deref(node);
    if (!node) return undefined;
    node = typeof seg === 'number' ? node.items : node.properties?.[seg];
  }
  return deref(node);
}
