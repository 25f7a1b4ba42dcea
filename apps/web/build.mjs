/**
 * `npm run build:web`: builds every entry of entries.mjs to dist/web/<name>/ with Vite (static files, no CDN:
 * everything the pages load is bundled). Prints the size of each entry, the figure to watch for page weight.
 * Fails when a page would bundle a Node built-in (the web wallet shares libs/credentials code with the CLI).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { WEB_ENTRIES } from './entries.mjs';

/**
 * Refuses Node built-ins in a page: a `node:` import, or one Vite would stub out for browsers (its
 * `__vite-browser-external` modules throw when used). Browser-safe lib code must import neither.
 */
function noNodeBuiltins() {
  return {
    name: 'govcred:no-node-builtins',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source.startsWith('node:')) this.error(`${importer ?? '?'} imports ${source}: pages run in browsers`);
      return null;
    },
    buildEnd() {
      const stubbed = [...this.getModuleIds()].filter((id) => id.includes('__vite-browser-external'));
      if (stubbed.length > 0) this.error(`Node built-ins would be stubbed in a page: ${stubbed.join(', ')}`);
    },
  };
}

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../../dist/web');

function size(dir) {
  return readdirSync(dir).reduce((sum, name) => {
    const file = path.join(dir, name);
    return sum + (statSync(file).isDirectory() ? size(file) : statSync(file).size);
  }, 0);
}

for (const entry of WEB_ENTRIES) {
  const started = Date.now();
  const outDir = path.join(out, entry.name);
  await build({
    configFile: false,
    root: path.join(here, entry.name),
    base: entry.base,
    logLevel: 'warn',
    plugins: [noNodeBuiltins(), react()],
    build: { outDir, emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024, modulePreload: { polyfill: false } },
  });
  console.log(`web: ${entry.name} → ${path.relative(process.cwd(), outDir)} (${(size(outDir) / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms`);
}
