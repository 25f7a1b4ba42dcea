import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file holding hardhat.config.ts (works from dist/ too). */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'hardhat.config.ts'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the govcred repository root (hardhat.config.ts)');
    dir = parent;
  }
  return dir;
}
