// Marks a build output folder as ESM: the root package is CommonJS (Hardhat 2 loads its config with
// require()), so without this Node re-parses every emitted file with a MODULE_TYPELESS_PACKAGE_JSON warning.
const fs = require('node:fs');
const path = require('node:path');
const dir = process.argv[2] ?? 'dist';
fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }) + '\n');
