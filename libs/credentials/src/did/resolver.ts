import { Resolver, type Resolvable } from 'did-resolver';
import { getResolver as getEthrResolver } from 'ethr-did-resolver';
import { toBeHex, type Provider } from 'ethers';
import type { ChainConfig } from '../chain/provider.js';
import { checksummedAddress } from '../chain/address.js';
import { parseEthrDid } from './ethr-did.js';

/**
 * The did:ethr network name of a chain: its id in hex, as `did:ethr:0x7a69:0x…` for chain 31337
 * (ethr-did-resolver accepts a hex chain id in place of a name).
 */
export function ethrNetworkName(chainId: number | bigint): string {
  return toBeHex(chainId);
}

/** The did:ethr DID of an identity address on a chain. */
export function ethrDid(chainId: number | bigint, address: string): string {
  return `did:ethr:${ethrNetworkName(chainId)}:${checksummedAddress(address)}`;
}

/**
 * The identity address (checksummed) of a did:ethr DID on `chainId`; undefined for any other DID, another
 * chain, a public-key-form did:ethr (govcred identities are addresses) or a broken one (e.g. a wrong EIP-55
 * checksum). Never throws; {@link parseEthrDid} tells why.
 */
export function ethrDidAddress(did: unknown, chainId: number | bigint): string | undefined {
  const parsed = parseEthrDid(did, chainId);
  return parsed.ok ? parsed.address : undefined;
}

/**
 * A DID resolver for did:ethr on the configured chain's ERC-1056 registry. Supports `?versionId=<block>`
 * (ethr-did-resolver ignores `?versionTime=`): with {@link BlockTimeIndex} a credential is checked against the
 * issuer's keys as they were when it was issued.
 * @param provider Provider to read the registry with. @default one of ethr-did-resolver's own for `rpcUrl`
 */
export function createDidResolver(chain: Pick<ChainConfig, 'chainId' | 'rpcUrl' | 'didRegistry'>, provider?: Provider): Resolvable {
  return new Resolver(
    getEthrResolver({
      networks: [
        {
          name: ethrNetworkName(chain.chainId),
          chainId: chain.chainId,
          registry: chain.didRegistry,
          // A shared provider (e.g. createProvider's, with a static network) saves a chain-id call per request.
          ...(provider ? { provider: provider as never } : { rpcUrl: chain.rpcUrl }),
        },
      ],
    }),
    { cache: false },
  );
}
