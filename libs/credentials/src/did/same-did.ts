import { ethrDidAddress } from './resolver.js';

/** Same DID, with did:ethr addresses compared case-insensitively (checksummed or not). */
export function sameDid(a: string, b: string, chainId: number): boolean {
  const x = ethrDidAddress(a, chainId);
  const y = ethrDidAddress(b, chainId);
  return x !== undefined && y !== undefined ? x === y : a === b;
}
