import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SETTINGS_BLOCKS, renderSettingsDoc } from '../../scripts/lib/settings-doc.js';
import { repoRoot } from '../../scripts/lib/paths.js';

test("README's settings tables are the config schemas' (npm run settings-doc rewrites them)", () => {
  const readme = readFileSync(path.join(repoRoot(), 'README.md'), 'utf8');
  expect(readme).toBe(renderSettingsDoc(readme));
});

test.each(SETTINGS_BLOCKS.map((b) => [b.name, b.schema] as const))('every %s setting is described and appears in README', (_name, schema) => {
  const readme = readFileSync(path.join(repoRoot(), 'README.md'), 'utf8');
  for (const [name, setting] of Object.entries(schema.properties as Record<string, { description?: string }>)) {
    expect([name, (setting.description ?? '').length > 10]).toEqual([name, true]);
    expect(readme).toContain(`| \`${name}\` |`);
  }
});
