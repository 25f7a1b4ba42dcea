/**
 * `npm run settings-doc`: rewrites the settings tables in README.md from the services' config schemas (each
 * setting's type, default and description). `--check` only reports whether README.md is up to date (exit 1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib/paths.js';
import { renderSettingsDoc } from './lib/settings-doc.js';

const file = path.join(repoRoot(), 'README.md');
const readme = readFileSync(file, 'utf8');
const rendered = renderSettingsDoc(readme);
if (process.argv.includes('--check')) {
  if (rendered !== readme) {
    console.error('README.md settings tables differ from the config schemas: run npm run settings-doc');
    process.exit(1);
  }
} else if (rendered !== readme) {
  writeFileSync(file, rendered);
  console.log('README.md: settings tables rewritten from the config schemas');
} else {
  console.log('README.md: settings tables up to date');
}
