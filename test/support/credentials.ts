/**
 * Credentials made by the tests themselves, independent of the issuer service: an agency identity with
 * its two status lists and on-chain accreditation, VC-JWTs signed with did-jwt-vc, holders signing VP-JWTs,
 * and the hostile variants (alg none, HS256 keyed with a public key, tampered signatures).
 */
import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { ES256KSigner } from 'did-jwt';
import { createVerifiableCredentialJwt, createVerifiablePresentationJwt } from 'did-jwt-vc';
import { Wallet, getBytes } from 'ethers';
import {
  StatusListWriter,
  StatusOperation,
  StatusPurpose,
  TrustRegistryClient,
  buildCredential,
  ethrDid,
  statusEntries,
  type CredentialSchemaRef,
} from '../../libs/credentials/src/index.js';
import { fundedWallet, type Fixture } from './chain.js';

const DAY = 86_400;
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** An accreditation to grant, in Unix seconds. Open-ended from a day ago by default. */
export interface Grant {
  type: string;
  validFrom?: number;
  validUntil?: number;
}

/** What to put in a credential; everything but the holder has a default. */
export interface IssueOptions {
  type: string;
  holder: string;
  claims: Record<string, unknown>;
  schema: CredentialSchemaRef;
  /** Unix seconds. @default now - 60 */
  issuedAt?: number;
  /** Unix seconds; no expiry when absent. */
  expiresAt?: number;
  /** Sign with this key instead of the agency's current one (e.g. a rotated-out key). */
  signingKey?: string;
  /** Status index. @default random */
  index?: number;
  /** JOSE header `kid` (e.g. an attribute key's `#delegate-N`); none by default. */
  kid?: string;
}

/** An agency: a did:ethr identity accredited on the fixture's TrustRegistry, owning two status lists. */
export class TestAgency {
  static readonly REVOCATION_LIST = 1n;
  static readonly SUSPENSION_LIST = 2n;
  readonly did: string;
  /** The key currently in control (changes after a rotation). */
  controller: Wallet;
  private writer: StatusListWriter;

  private constructor(
    readonly fixture: Fixture,
    readonly identity: Wallet,
  ) {
    this.did = ethrDid(fixture.chainId, identity.address);
    this.controller = identity;
    this.writer = new StatusListWriter({ registry: fixture.statusRegistry, signer: identity });
  }

  /** Creates the identity, its revocation and suspension lists, and accredits it for `grants`. */
  static async create(fixture: Fixture, grants: Grant[]): Promise<TestAgency> {
    const agency = new TestAgency(fixture, await fundedWallet(fixture.provider));
    await agency.writer.createList(agency.address, TestAgency.REVOCATION_LIST, StatusPurpose.Revocation);
    await agency.writer.createList(agency.address, TestAgency.SUSPENSION_LIST, StatusPurpose.Suspension);
    const trust = new TrustRegistryClient(fixture.trustRegistry, fixture.governance);
    for (const grant of grants) {
      await trust.accredit(agency.address, grant.type, grant.validFrom ?? nowSeconds() - DAY, grant.validUntil);
    }
    return agency;
  }

  get address(): string {
    return this.identity.address;
  }

  /** After an ERC-1056 owner change: the new controller signs and writes status from now on. */
  async useController(wallet: Wallet): Promise<void> {
    this.controller = wallet;
    this.writer = new StatusListWriter({ registry: this.fixture.statusRegistry, signer: wallet });
  }

  /** Signs a VC-JWT over `buildCredential(...)`; returns it with its status index. */
  async issue(options: IssueOptions): Promise<{ jwt: string; index: number }> {
    const index = options.index ?? randomInt(0, 2 ** 17);
    const issuedAt = options.issuedAt ?? nowSeconds() - 60;
    const credential = buildCredential({
      type: options.type,
      id: `urn:uuid:${randomUUID()}`,
      issuerDid: this.did,
      subjectDid: options.holder,
      claims: options.claims,
      schema: options.schema,
      status: statusEntries({
        chainId: this.fixture.chainId,
        statusRegistry: this.fixture.statusRegistry,
        owner: this.address,
        revocationListId: TestAgency.REVOCATION_LIST,
        suspensionListId: TestAgency.SUSPENSION_LIST,
        index,
      }),
      issuanceDate: new Date(issuedAt * 1000),
      ...(options.expiresAt !== undefined ? { expirationDate: new Date(options.expiresAt * 1000) } : {}),
    });
    const key = options.signingKey ?? this.controller.privateKey;
    const jwt = await createVerifiableCredentialJwt(
      credential as never,
      { did: this.did, signer: ES256KSigner(getBytes(key)), alg: 'ES256K' },
      options.kid !== undefined ? { header: { alg: 'ES256K', kid: options.kid } } : {},
    );
    return { jwt, index };
  }

  /** Returns the block of the last status transaction. */
  async revoke(index: number): Promise<number> {
    const r = await this.writer.update(this.address, TestAgency.REVOCATION_LIST, StatusOperation.Set, [index]);
    return r.receipts.at(-1)!.blockNumber;
  }

  async suspend(index: number): Promise<number> {
    const r = await this.writer.update(this.address, TestAgency.SUSPENSION_LIST, StatusOperation.Set, [index]);
    return r.receipts.at(-1)!.blockNumber;
  }

  async reinstate(index: number): Promise<number> {
    const r = await this.writer.update(this.address, TestAgency.SUSPENSION_LIST, StatusOperation.Clear, [index]);
    return r.receipts.at(-1)!.blockNumber;
  }
}

/** A citizen: a did:ethr identity (a key whose address is the identity; no transaction needed). */
export class TestHolder {
  readonly wallet = Wallet.createRandom();
  readonly did: string;

  constructor(chainId = 31337) {
    this.did = ethrDid(chainId, this.wallet.address);
  }

  /** Signs a VP-JWT carrying `credentials`, with `nonce` = challenge and `aud` = domain. */
  async present(credentials: unknown[], challenge: string, domain: string, extra: Record<string, unknown> = {}): Promise<string> {
    return createVerifiablePresentationJwt(
      {
        vp: {
          '@context': ['https://www.w3.org/2018/credentials/v1'],
          type: ['VerifiablePresentation'],
          verifiableCredential: credentials as string[],
        },
        ...extra,
      } as never,
      { did: this.did, signer: ES256KSigner(getBytes(this.wallet.privateKey)), alg: 'ES256K' },
      { challenge, domain },
    );
  }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Decodes a JWT's payload (test convenience, no checks). */
export function jwtPayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Flips one character in the middle of the signature (the last one may carry padding bits only). */
export function tamperSignature(jwt: string): string {
  const [h, p, s] = jwt.split('.');
  const i = Math.floor(s.length / 2);
  const flipped = s[i] === 'A' ? 'B' : 'A';
  return [h, p, s.slice(0, i) + flipped + s.slice(i + 1)].join('.');
}

/** Keeps header and signature, swaps the payload for `payload` (a forged claim under an honest signature). */
export function replacePayload(jwt: string, payload: Record<string, unknown>): string {
  const [h, , s] = jwt.split('.');
  return [h, b64(payload), s].join('.');
}

/** The same payload, unsigned, with `alg: none`. */
export function algNone(jwt: string): string {
  return [b64({ alg: 'none', typ: 'JWT' }), jwt.split('.')[1], ''].join('.');
}

/** The same payload "signed" with HS256 keyed by the issuer's public key (the alg confusion attack). */
export function hs256WithPublicKey(jwt: string, publicKeyHex: string): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${jwt.split('.')[1]}`;
  const mac = createHmac('sha256', Buffer.from(publicKeyHex.replace(/^0x/, ''), 'hex')).update(input).digest('base64url');
  return `${input}.${mac}`;
}
