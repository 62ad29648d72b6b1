/**
 * Builds what `pnpm pack` ships: build/*.js (src/*.ts with their types
 * stripped by Node: they import only @trpc/client and node:crypto) and build/index.d.ts, one
 * file in which rollup-plugin-dts has inlined every type the router's
 * procedures use from the private workspace packages (@roster/*), leaving
 * imports of the published @trpc/* packages only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stripTypeScriptTypes } from 'node:module';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

const here = import.meta.dirname;
const out = path.join(here, 'build');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out);

// Each module as JS: types stripped (erasable syntax only), `./x.ts` specifiers pointed at `./x.js`.
for (const file of fs.readdirSync(path.join(here, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'router.ts')) {
  const source = fs.readFileSync(path.join(here, 'src', file), 'utf8');
  const js = stripTypeScriptTypes(source, { mode: 'strip' })
    .replace(/^export type .*\n/gm, '')
    .replace(/(from '\.\/[\w-]+)\.ts'/g, "$1.js'");
  fs.writeFileSync(path.join(out, file.replace(/\.ts$/, '.js')), js);
}

const bundle = await rollup({
  input: path.join(here, 'src/index.ts'),
  // Published packages stay imports; everything else (the workspace's own sources) is inlined.
  external: (id) => /^@trpc\/(client|server)(\/|$)/.test(id),
  plugins: [dts({ tsconfig: path.join(here, 'tsconfig.build.json'), respectExternal: true })],
});
await bundle.write({ file: path.join(out, 'index.d.ts'), format: 'es' });
await bundle.close();
console.log(`@roster/client: built ${path.relative(process.cwd(), out)}`);
