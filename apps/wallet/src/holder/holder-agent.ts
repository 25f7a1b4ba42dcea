import { createAgent, type ICredentialPlugin, type IDIDManager, type IKeyManager, type IResolver, type TAgent } from '@veramo/core';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { DIDManager, MemoryDIDStore } from '@veramo/did-manager';
import { EthrDIDProvider } from '@veramo/did-provider-ethr';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager, MemoryKeyStore, MemoryPrivateKeyStore } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import { computeAddress } from 'ethers';
import { createDidResolver, ethrDid, ethrNetworkName, type ChainConfig } from '../../../../libs/credentials/src/index.js';
import type { HolderIdentity } from '../store/wallet-store.js';

type HolderAgent = TAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>;

/**
 * The holder's Veramo agent. Its key and DID stores live in memory only, loaded from the wallet's encrypted
 * file for the length of one command: nothing Veramo holds ever touches the disk in clear.
 */
export class Holder {
  private constructor(
    private readonly agent: HolderAgent,
    readonly identity: HolderIdentity,
  ) {}

  private static agentFor(chain: Pick<ChainConfig, 'chainId' | 'rpcUrl' | 'didRegistry'>, privateKeys: MemoryPrivateKeyStore): HolderAgent {
    const network = ethrNetworkName(chain.chainId);
    return createAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>({
      plugins: [
        new KeyManager({ store: new MemoryKeyStore(), kms: { local: new KeyManagementSystem(privateKeys) } }),
        new DIDManager({
          store: new MemoryDIDStore(),
          defaultProvider: `did:ethr:${network}`,
          providers: {
            [`did:ethr:${network}`]: new EthrDIDProvider({
              defaultKms: 'local',
              networks: [{ name: network, chainId: chain.chainId, rpcUrl: chain.rpcUrl, registry: chain.didRegistry }],
            }),
          },
        }),
        new DIDResolverPlugin({ resolver: createDidResolver(chain) }),
        new CredentialPlugin([new CredentialProviderJWT()]),
      ],
    });
  }

  /**
   * A new holder: a fresh secp256k1 key and the address-form did:ethr of it (no chain transaction needed).
   * Address form, like agency identities, so the key can later be rotated in ERC-1056 without a new DID
   * (Veramo's ethr provider would create the public-key form).
   */
  static async create(chain: Pick<ChainConfig, 'chainId' | 'rpcUrl' | 'didRegistry'>): Promise<Holder> {
    const privateKeys = new MemoryPrivateKeyStore();
    const agent = Holder.agentFor(chain, privateKeys);
    const key = await agent.keyManagerCreate({ kms: 'local', type: 'Secp256k1' });
    const { privateKeyHex } = await privateKeys.getKey({ alias: key.kid });
    const identity = { did: ethrDid(chain.chainId, computeAddress(`0x${key.publicKeyHex}`)), kid: key.kid, privateKeyHex };
    return Holder.load(chain, identity);
  }

  /** The holder of a wallet, its key imported into a memory-only agent. */
  static async load(chain: Pick<ChainConfig, 'chainId' | 'rpcUrl' | 'didRegistry'>, identity: HolderIdentity): Promise<Holder> {
    const agent = Holder.agentFor(chain, new MemoryPrivateKeyStore());
    await agent.didManagerImport({
      did: identity.did,
      provider: `did:ethr:${ethrNetworkName(chain.chainId)}`,
      controllerKeyId: identity.kid,
      keys: [{ kid: identity.kid, kms: 'local', type: 'Secp256k1', privateKeyHex: identity.privateKeyHex }],
      services: [],
    });
    return new Holder(agent, identity);
  }

  /**
   * Signs a JWS signing input ES256K with the holder's key (base64url r‖s), as Veramo's JWT credential provider
   * signs a presentation: the format provider builds the VP-JWT around it.
   */
  async signInput(signingInput: string): Promise<string> {
    return this.agent.keyManagerSign({ keyRef: this.identity.kid, data: signingInput, algorithm: 'ES256K' });
  }

  /** A JWT signed by the holder's key (OID4VCI proof of possession): Veramo signs, the caller builds the payload. */
  async signJwt(header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
    const b64 = (part: Record<string, unknown>) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const signingInput = `${b64(header)}.${b64(payload)}`;
    const signature = await this.agent.keyManagerSignJWT({ kid: this.identity.kid, data: signingInput });
    return `${signingInput}.${signature}`;
  }
}
