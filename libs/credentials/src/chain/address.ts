import { getAddress } from 'ethers';

// Checksumming hashes the address (keccak, pure JS), and the same few addresses (registries, issuers) come up
// for every credential issued or verified, so the answers are kept (bounded).
const CHECKSUMS = new Map<string, string>();

/** `getAddress(address)` (EIP-55 checksum; throws on a malformed address), memoised. */
export function checksummedAddress(address: string): string {
  let value = CHECKSUMS.get(address);
  if (value === undefined) {
    value = getAddress(address);
    if (CHECKSUMS.size >= 50_000) CHECKSUMS.clear();
    CHECKSUMS.set(address, value);
  }
  return value;
}
