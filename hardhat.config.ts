// Hardhat 2 loads this file with require(): the root package is CommonJS, the application code under
// apps/, libs/, scripts/ and test/ is ESM (see their package.json files).
import path from 'node:path';
import { subtask, type HardhatUserConfig } from 'hardhat/config';
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from 'hardhat/builtin-tasks/task-names';

const SOLC_VERSION = '0.8.28';

// Hardhat downloads compilers from the internet; these machines reach only the npm registry, so the
// compiler comes from the pinned `solc` npm package instead.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require('solc') as { version(): string };
  return {
    compilerPath: path.join(path.dirname(require.resolve('solc/package.json')), 'soljson.js'),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version(),
  };
});

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      // Hardhat 2 would silently pick paris for solc >= 0.8.20.
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 1000 },
    },
  },
  networks: {
    hardhat: {
      chainId: 31337,
      mining: { auto: true },
      // Blocks mined within one second share its timestamp, so the chain's clock stays with the wall clock under
      // load (otherwise every block adds a second): agency keys are valid from their block's time on, and the
      // issuer signs with a key only once its clock has reached that time.
      allowBlocksWithSameTimestamp: true,
    },
  },
  paths: {
    sources: './contracts',
    artifacts: './artifacts',
    cache: './cache',
  },
};

export default config;
