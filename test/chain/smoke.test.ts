import { deployFixture } from '../support/chain.js';

test('registries deploy on the test chain', async () => {
  const f = await deployFixture();
  expect(await f.provider.getCode(f.statusRegistry)).not.toBe('0x');
  f.provider.destroy();
});
