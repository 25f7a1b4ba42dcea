import { BlockTimeIndex } from '../../libs/credentials/src/index.js';
import { testProvider } from '../support/chain.js';

test('blockAt finds the last block mined at or before a time', async () => {
  const provider = testProvider();
  for (let i = 0; i < 3; i++) await provider.send('evm_mine', []);
  const index = new BlockTimeIndex(provider);
  const head = await provider.getBlockNumber();
  for (const n of [0, 1, Math.floor(head / 2), head - 1, head]) {
    const block = (await provider.getBlock(n))!;
    // Other test files mine blocks on the same chain meanwhile, some in the same second: only blocks that existed
    // when the index was asked can be held against its answer.
    const existing = await provider.getBlockNumber();
    const found = await index.blockAt(block.timestamp);
    const foundBlock = (await provider.getBlock(found))!;
    // The answer is mined at or before the time, and the block after it (if it existed then) after the time.
    expect(foundBlock.timestamp).toBeLessThanOrEqual(block.timestamp);
    expect(found).toBeGreaterThanOrEqual(n);
    const next = found + 1 <= existing ? await provider.getBlock(found + 1) : null;
    if (next) expect(next.timestamp).toBeGreaterThan(block.timestamp);
  }
  expect(await index.blockAt(0)).toBe(0);
  expect(await index.blockAt(2 ** 40)).toBeGreaterThanOrEqual(head);
  provider.destroy();
});
