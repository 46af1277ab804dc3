// esbuild plugin: replaces server/src/spec/precompiledValidator.ts in the bundles with ajv's standalone code for
// schemas/xai-pipeline.schema.json, compiled with the options of server/src/spec/schemaOptions.ts. The language
// server then starts without compiling the schema (~140 ms of CPU). From source (tests) the module stays undefined
// and schema.ts compiles at run time with the same options.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

/** The validator's ESM source, exporting `precompiledValidate`. */
function standaloneSource(root) {
  const require = createRequire(join(root, 'package.json'));
  const Ajv = require('ajv').default;
  const standalone = require('ajv/dist/standalone').default;
  // schemaOptions.ts, bundled to CommonJS in memory and evaluated: one definition of the options.
  const { outputFiles } = esbuild.buildSync({
    entryPoints: [join(root, 'server/src/spec/schemaOptions.ts')], bundle: true, platform: 'node', format: 'cjs', write: false, external: ['ajv'],
  });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', outputFiles[0].text)(mod, mod.exports, require);
  const { AJV_OPTIONS, addSpecKeywords } = mod.exports;
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  addSpecKeywords(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas/xai-pipeline.schema.json'), 'utf8')));
  return `${standalone(ajv, validate)}\nexport const precompiledValidate = validate;\n`;
}

export function schemaValidatorPlugin(root) {
  return {
    name: 'xai-precompiled-schema-validator',
    setup(build) {
      build.onLoad({ filter: /[\\/]server[\\/]src[\\/]spec[\\/]precompiledValidator\.ts$/ }, () => ({
        contents: standaloneSource(root), loader: 'js', resolveDir: join(root, 'server/src/spec'),
        // --watch rebuilds when the schema or the options change.
        watchFiles: [join(root, 'schemas/xai-pipeline.schema.json'), join(root, 'server/src/spec/schemaOptions.ts')],
      }));
    },
  };
}
