import type { Interface } from 'ethers';

/**
 * The name of the custom error a contract call reverted with, decoded with `iface`; undefined when `error` is
 * not a revert or its data matches no error of `iface`. ethers 6 leaves custom errors of a failed transaction
 * send (its gas estimate) undecoded, so callers that need to tell reverts apart decode them here.
 */
export function revertName(error: unknown, iface: Interface): string | undefined {
  const data = (error as { data?: unknown } | null)?.data;
  if (typeof data !== 'string' || !data.startsWith('0x') || data.length < 10) return undefined;
  try {
    return iface.parseError(data)?.name;
  } catch {
    return undefined;
  }
}
