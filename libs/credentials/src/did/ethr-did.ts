import { checksummedAddress } from '../chain/address.js';

/** Longest DID read as a did:ethr (a govcred DID is 60–70 characters): longer input is refused unread. */
export const MAX_ETHR_DID_LENGTH = 200;

/** Why a string is not a govcred did:ethr identity on a given chain. */
export type EthrDidFailure =
  /** Not a did:ethr at all (another method, not a DID, not a string). */
  | 'not_ethr'
  /** A did:ethr that breaks the method's syntax: bad hex, bad length, extra parts. */
  | 'malformed'
  /** A mixed-case address whose EIP-55 checksum is wrong: a typo, or an edited DID. */
  | 'bad_checksum'
  /** A well-formed did:ethr of a public key (`0x02…`/`0x03…`): govcred identities are addresses. */
  | 'public_key_form'
  /** A well-formed did:ethr of another chain (or a network named rather than numbered). */
  | 'other_chain';

/** A did:ethr identity: the DID as given, its chain and its EIP-55 checksummed address. */
export interface EthrDid {
  did: string;
  chainId: bigint;
  address: string;
}

export type ParsedEthrDid = ({ ok: true } & EthrDid) | { ok: false; reason: EthrDidFailure; message: string };

const isHex = (s: string, from: number) => {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20; // lower-cases letters, keeps digits
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return s.length > from;
};

/**
 * Parses `did:ethr:[<network>:]<address>` (https://github.com/decentralized-identity/ethr-did-resolver/blob/master/doc/did-method-spec.md)
 * by plain scanning, never by a pattern, and never throws: the one did:ethr reader for every place a DID
 * comes from outside (presentations, credentials, presentation requests, issuance requests, OID4VCI proofs).
 * The network is a hex chain id (`0x7a69`); without one the DID is of mainnet (chain 1).
 * @param chainId When given, a DID of another chain is refused (`other_chain`).
 */
export function parseEthrDid(did: unknown, chainId?: number | bigint): ParsedEthrDid {
  if (typeof did !== 'string' || !did.startsWith('did:ethr:')) return { ok: false, reason: 'not_ethr', message: 'not a did:ethr DID' };
  if (did.length > MAX_ETHR_DID_LENGTH) return { ok: false, reason: 'malformed', message: `a did:ethr DID is at most ${MAX_ETHR_DID_LENGTH} characters` };
  const parts = did.slice('did:ethr:'.length).split(':');
  if (parts.length > 2) return { ok: false, reason: 'malformed', message: 'a did:ethr DID has at most a network and an address after the method' };
  const [network, id] = parts.length === 2 ? parts : ['0x1', parts[0]];
  let chain: bigint;
  if (network.startsWith('0x') && network.length <= 18 && isHex(network, 2)) chain = BigInt(network);
  else if (/^[a-z][a-z0-9-]{0,31}$/.test(network)) return { ok: false, reason: 'other_chain', message: `the DID names network ${network}, not a chain id` };
  else return { ok: false, reason: 'malformed', message: 'the network of a did:ethr DID is a hex chain id' };
  if (!id.startsWith('0x') || !isHex(id, 2)) return { ok: false, reason: 'malformed', message: 'a did:ethr identifier is a 0x-prefixed hex address' };
  if (id.length === 68 && (id.startsWith('0x02') || id.startsWith('0x03'))) {
    return { ok: false, reason: 'public_key_form', message: 'the DID names a public key: govcred identities are addresses' };
  }
  if (id.length !== 42) return { ok: false, reason: 'malformed', message: 'a did:ethr address has 40 hex digits' };
  let address: string;
  try {
    address = checksummedAddress(id);
  } catch {
    // The hex is valid, so only the EIP-55 checksum of a mixed-case address can have failed.
    return { ok: false, reason: 'bad_checksum', message: 'the address in the DID has a wrong EIP-55 checksum' };
  }
  if (chainId !== undefined && chain !== BigInt(chainId)) {
    return { ok: false, reason: 'other_chain', message: `the DID is of chain ${chain}, not of chain ${BigInt(chainId)}` };
  }
  return { ok: true, did, chainId: chain, address };
}

/** Whether a parse failure means the DID itself is broken (rather than merely not one of ours). */
export function isBrokenEthrDid(reason: EthrDidFailure): boolean {
  return reason === 'malformed' || reason === 'bad_checksum';
}

/**
 * Why a verifier on `chainId` could never accept `did` as a credential subject or holder, or undefined when
 * it could: the holder must sign presentations as an address-form did:ethr on the verifier's chain.
 */
export function subjectDidProblem(did: unknown, chainId: number | bigint): string | undefined {
  const parsed = parseEthrDid(did, chainId);
  if (parsed.ok) return undefined;
  return parsed.reason === 'not_ethr' ? `the holder DID must be a did:ethr identity on chain ${BigInt(chainId)}` : parsed.message;
}
