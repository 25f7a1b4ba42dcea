import { Inject, Injectable } from '@nestjs/common';
import {
  createAgent,
  type ICredentialPlugin,
  type IDIDManager,
  type IKey,
  type IKeyManager,
  type IResolver,
  type TAgent,
} from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDStore, KeyStore, PrivateKeyStore } from '@veramo/data-store';
import { DIDManager } from '@veramo/did-manager';
import { EthrDIDProvider, KmsEthereumSigner } from '@veramo/did-provider-ethr';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager } from '@veramo/key-manager';
import { KeyManagementSystem, SecretBox } from '@veramo/kms-local';
import { computeAddress, type Provider, type Signer } from 'ethers';
import { DataSource } from 'typeorm';
import { createDidResolver, ethrNetworkName, type UnsignedCredential } from '../../../../libs/credentials/src/index.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';

type Agent = TAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>;

/** The KMS that holds every agency key, encrypted at rest with ISSUER_KMS_SECRET. */
const KMS = 'local';

/**
 * The one place that talks to Veramo. Agency keys live in Veramo's KMS (encrypted with SecretBox in the
 * service database); nothing outside this class sees a private key, and this class never reads one either:
 * it asks the KMS to sign JWTs and Ethereum transactions.
 */
@Injectable()
export class VeramoService {
  readonly agent: Agent;
  private readonly providerName: string;

  constructor(dataSource: DataSource, @Inject(ISSUER_CONFIG) config: IssuerConfig) {
    this.providerName = `did:ethr:${ethrNetworkName(config.CHAIN_ID)}`;
    const chain = { chainId: config.CHAIN_ID, rpcUrl: config.CHAIN_RPC_URL, didRegistry: config.DID_REGISTRY };
    this.agent = createAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>({
      plugins: [
        new KeyManager({
          store: new KeyStore(dataSource),
          kms: { [KMS]: new KeyManagementSystem(new PrivateKeyStore(dataSource, new SecretBox(config.ISSUER_KMS_SECRET))) },
        }),
        new DIDManager({
          store: new DIDStore(dataSource),
          defaultProvider: this.providerName,
          providers: {
            [this.providerName]: new EthrDIDProvider({
              defaultKms: KMS,
              networks: [{ name: ethrNetworkName(config.CHAIN_ID), chainId: config.CHAIN_ID, rpcUrl: config.CHAIN_RPC_URL, registry: config.DID_REGISTRY }],
            }),
          },
        }),
        new DIDResolverPlugin({ resolver: createDidResolver(chain) }),
        new CredentialPlugin([new CredentialProviderJWT()]),
      ],
    });
  }

  /** A new secp256k1 key in the KMS, with its Ethereum address. */
  async createKey(): Promise<{ key: IKey; address: string }> {
    const key = await this.agent.keyManagerCreate({ kms: KMS, type: 'Secp256k1' });
    return { key, address: computeAddress(`0x${key.publicKeyHex}`) };
  }

  /**
   * Registers a did:ethr identifier in address form (`did:ethr:<chain>:<address>`) for an existing key.
   * EthrDIDProvider.createIdentifier would name the DID by its public key, which cannot survive a key rotation.
   */
  async registerIdentifier(did: string, key: IKey): Promise<void> {
    await this.agent.didManagerImport({ did, provider: this.providerName, controllerKeyId: key.kid, keys: [], services: [] });
    await this.attachKey(did, key);
  }

  /** Adds a key to an identifier in the local store only (the chain side is ERC-1056 changeOwner). */
  async attachKey(did: string, key: IKey): Promise<void> {
    await this.agent.didManagerAddKey({ did, key, options: { localOnly: true } });
  }

  /** Signs `credential` as a JWT VC (ES256K) with the key `keyId` of its issuer. */
  async signCredential(credential: UnsignedCredential, keyId: string): Promise<string> {
    const vc = await this.agent.createVerifiableCredential({
      credential: credential as never,
      proofFormat: 'jwt',
      keyRef: keyId,
      removeOriginalFields: true,
    });
    return vc.proof.jwt as string;
  }

  /** An ethers Signer whose transactions are signed inside the KMS with key `keyId`. */
  async ethereumSigner(keyId: string, provider: Provider): Promise<Signer> {
    const key = await this.agent.keyManagerGet({ kid: keyId });
    return new KmsEthereumSigner(key, { agent: this.agent } as never, provider);
  }
}
