import type { Interface } from 'ethers';
import { revertName } from '../../libs/credentials/src/index.js';

/**
 * The custom error a contract call reverted with, by name (decoded with the contract's `iface`), or undefined
 * when the call went through: tests compare it with `toBe`, so a wrong error and no error both fail.
 */
export function revertOf(promise: Promise<unknown>, iface: Interface): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => revertName(e, iface),
  );
}
