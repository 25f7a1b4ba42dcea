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
import { SecretBox } from '@veramo/kms-local';
import { createVerifiableCredentialJwt } from 'did-jwt-vc';
import { SigningKey, computeAddress, type Provider, type Signer } from 'ethers';
import { DataSource } from 'typeorm';
import { createDidResolver, ethrNetworkName, type UnsignedCredential } from '../../../../libs/credentials/src/index.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { CachingKeyManagementSystem } from './caching-kms.js';

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
  private readonly kms: CachingKeyManagementSystem;
  /** `did keyId` pairs checked to belong together (an identifier never loses a key here: rotation adds one). */
  private readonly checkedKeys = new Map<string, Promise<void>>();

  constructor(dataSource: DataSource, @Inject(ISSUER_CONFIG) config: IssuerConfig) {
    this.providerName = `did:ethr:${ethrNetworkName(config.CHAIN_ID)}`;
    const chain = { chainId: config.CHAIN_ID, rpcUrl: config.CHAIN_RPC_URL, didRegistry: config.DID_REGISTRY };
    this.kms = new CachingKeyManagementSystem(new PrivateKeyStore(dataSource, new SecretBox(config.ISSUER_KMS_SECRET)));
    this.agent = createAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>({
      plugins: [
        new KeyManager({
          store: new KeyStore(dataSource),
          kms: { [KMS]: this.kms },
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

  /** A new secp256k1 key in the KMS, with its Ethereum address and compressed public key (hex, no 0x). */
  async createKey(): Promise<{ key: IKey; address: string; publicKeyHex: string }> {
    const key = await this.agent.keyManagerCreate({ kms: KMS, type: 'Secp256k1' });
    const publicKeyHex = SigningKey.computePublicKey(`0x${key.publicKeyHex}`, true).slice(2);
    return { key, address: computeAddress(`0x${key.publicKeyHex}`), publicKeyHex };
  }

  /**
   * Deletes a private key from the KMS (and its record): a one-time identity key once the owner changed, a
   * replaced signing or writer key. The in-memory signer goes with it.
   */
  async deleteKey(keyId: string): Promise<void> {
    await this.agent.keyManagerDelete({ kid: keyId }).catch((error: unknown) => {
      // Already gone (a retried deletion) is what was wanted.
      if (!/not.?found/i.test(String((error as Error)?.message ?? error))) throw error;
    });
    for (const pair of [...this.checkedKeys.keys()]) if (pair.endsWith(` ${keyId}`)) this.checkedKeys.delete(pair);
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

  /**
   * Signs a JWS signing input (`<header>.<payload>`) ES256K with the key `keyId` of `did`: the base64url r‖s
   * signature (RFC 8812), from the caching KMS: the signer of every format's provider (JWT VC and SD-JWT VC).
   */
  async signJws(did: string, keyId: string, signingInput: string): Promise<string> {
    await this.checkKey(did, keyId);
    return this.kms.sign({ keyRef: { kid: keyId }, algorithm: 'ES256K', data: Buffer.from(signingInput, 'ascii') });
  }

  /** Signs with Veramo's agent end to end (the reference the format providers' JWT VCs must match). */
  async signCredentialWithAgent(credential: UnsignedCredential, keyId: string): Promise<string> {
    const vc = await this.agent.createVerifiableCredential({
      credential: credential as never,
      proofFormat: 'jwt',
      keyRef: keyId,
      removeOriginalFields: true,
    });
    return vc.proof.jwt as string;
  }

  /** Fails unless `keyId` is a key of the managed identifier `did` (as the agent's pickSigningKey checks). */
  private checkKey(did: string, keyId: string): Promise<void> {
    const pair = `${did} ${keyId}`;
    let check = this.checkedKeys.get(pair);
    if (!check) {
      check = this.agent.didManagerGet({ did }).then((identifier) => {
        if (!identifier.keys.some((k) => k.kid === keyId)) throw new Error(`key_not_found: ${keyId} is not a key of ${did}`);
      });
      this.checkedKeys.set(pair, check);
      check.catch(() => this.checkedKeys.delete(pair));
    }
    return check;
  }

  /** An ethers Signer whose transactions are signed inside the KMS with key `keyId`. */
  async ethereumSigner(keyId: string, provider: Provider): Promise<Signer> {
    const key = await this.agent.keyManagerGet({ kid: keyId });
    return new KmsEthereumSigner(key, { agent: this.agent } as never, provider);
  }
}
