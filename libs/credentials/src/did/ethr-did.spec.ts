import { Wallet } from 'ethers';
import { isBrokenEthrDid, parseEthrDid, subjectDidProblem, type EthrDidFailure } from './ethr-did.js';
import { ethrDidAddress } from './resolver.js';

const wallet = Wallet.createRandom();
const address = wallet.address; // EIP-55 checksummed
/** The same address with the case of its first letter flipped: a wrong checksum. */
const badChecksum = (() => {
  const i = [...address].findIndex((c, k) => k > 1 && /[a-fA-F]/.test(c));
  const c = address[i];
  return address.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + address.slice(i + 1);
})();
const compressedKey = wallet.signingKey.compressedPublicKey;

test.each<[string, unknown, EthrDidFailure | 'ok']>([
  ['checksummed address on the chain', `did:ethr:0x7a69:${address}`, 'ok'],
  ['lower-case address (no checksum)', `did:ethr:0x7a69:${address.toLowerCase()}`, 'ok'],
  ['upper-case hex digits (no checksum)', `did:ethr:0x7a69:0x${address.slice(2).toUpperCase()}`, 'ok'],
  ['wrong EIP-55 checksum', `did:ethr:0x7a69:${badChecksum}`, 'bad_checksum'],
  ['another chain', `did:ethr:0x1:${address}`, 'other_chain'],
  ['no network: mainnet', `did:ethr:${address}`, 'other_chain'],
  ['a named network', `did:ethr:sepolia:${address}`, 'other_chain'],
  ['public-key form', `did:ethr:0x7a69:${compressedKey}`, 'public_key_form'],
  ['short address', `did:ethr:0x7a69:${address.slice(0, 40)}`, 'malformed'],
  ['non-hex address', `did:ethr:0x7a69:0x${'g'.repeat(40)}`, 'malformed'],
  ['no 0x', `did:ethr:0x7a69:${address.slice(2)}`, 'malformed'],
  ['non-hex network', `did:ethr:0xZZ:${address}`, 'malformed'],
  ['huge network number', `did:ethr:0x${'f'.repeat(40)}:${address}`, 'malformed'],
  ['a fragment', `did:ethr:0x7a69:${address}#controller`, 'malformed'],
  ['extra part', `did:ethr:0x7a69:${address}:x`, 'malformed'],
  ['empty identifier', 'did:ethr:0x7a69:', 'malformed'],
  ['200 KB of hex', `did:ethr:0x7a69:0x${'a'.repeat(200_000)}`, 'malformed'],
  ['another method', 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', 'not_ethr'],
  ['not a string', 42, 'not_ethr'],
])('%s', (_name, did, expected) => {
  const parsed = parseEthrDid(did, 31337);
  expect(parsed.ok ? 'ok' : parsed.reason).toBe(expected);
  if (parsed.ok) expect(parsed.address).toBe(address);
  // The legacy reader agrees and never throws.
  expect(ethrDidAddress(did, 31337)).toBe(parsed.ok ? address : undefined);
});

test('broken means malformed or a wrong checksum; foreign DIDs are not broken', () => {
  expect((['malformed', 'bad_checksum'] as const).every(isBrokenEthrDid)).toBe(true);
  expect((['not_ethr', 'public_key_form', 'other_chain'] as const).some(isBrokenEthrDid)).toBe(false);
});

test('subjectDidProblem accepts only what a verifier on the chain accepts', () => {
  expect(subjectDidProblem(`did:ethr:0x7a69:${address}`, 31337)).toBeUndefined();
  expect(subjectDidProblem(`did:ethr:0x7a69:${badChecksum}`, 31337)).toMatch(/checksum/);
  expect(subjectDidProblem(`did:ethr:0x1:${address}`, 31337)).toMatch(/chain 1, not of chain 31337/);
  expect(subjectDidProblem(`did:ethr:0x7a69:${compressedKey}`, 31337)).toMatch(/public key/);
  expect(subjectDidProblem('did:web:example.com', 31337)).toMatch(/did:ethr identity on chain 31337/);
});
