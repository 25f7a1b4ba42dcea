import type { DIDDocument, DIDResolutionResult, Service, VerificationMethod } from 'did-resolver';
import { encodeBase58, encodeBase64, toUtf8String } from 'ethers';
import { eventKey, type RegistryEvent } from './did-history.js';

export const DID_JSON = 'application/did+json';
export const DID_LD_JSON = 'application/did+ld+json';
// Exactly the contexts ethr-did-resolver 11 adds for did+ld+json.
const LD_CONTEXT = [
  'https://www.w3.org/ns/did/v1',
  'https://w3id.org/security/suites/secp256k1recovery-2020/v2',
  'https://w3id.org/security/v3-unstable',
];
const NULL_ADDRESS = '0x0000000000000000000000000000000000000000';
const RECOVERY_METHOD = 'EcdsaSecp256k1RecoveryMethod2020';
// ethr-did-resolver 11's legacyAttrTypes and legacyAlgoMap (plain objects, as there: lookups behave alike).
const ATTRIBUTE_TYPES: Record<string, string> = { sigAuth: 'SignatureAuthentication2018', veriKey: 'VerificationKey2018', enc: 'KeyAgreementKey2019' };
const ALGORITHM_TYPES: Record<string, string> = {
  Secp256k1VerificationKey2018: 'EcdsaSecp256k1VerificationKey2019',
  Ed25519SignatureAuthentication2018: 'Ed25519VerificationKey2018',
  Secp256k1SignatureAuthentication2018: 'EcdsaSecp256k1VerificationKey2019',
  RSAVerificationKey2018: 'RSAVerificationKey2018',
  Ed25519VerificationKey2018: 'Ed25519VerificationKey2018',
  X25519KeyAgreementKey2019: 'X25519KeyAgreementKey2019',
};

/** What a document is built from. */
export interface DocumentInput {
  /** The DID as asked (its case is kept in every id). */
  did: string;
  /** The identity's checksummed address. */
  address: string;
  chainId: number;
  /** The identity's registry events in chain order, up to the mirror's synced block. */
  events: readonly RegistryEvent[];
  /** The asked block (`?versionId`), or `latest`. */
  block: number | 'latest';
  /** Whether a delegate or attribute event holds (its `validTo` not passed) at the asked block or time. */
  holds(event: RegistryEvent): boolean;
  accept: typeof DID_JSON | typeof DID_LD_JSON;
}

/** A built document and, for each verification method from an event, that event's key ({@link eventKey}). */
export interface BuiltDocument {
  result: DIDResolutionResult;
  sources: Map<string, string>;
}

const isoDate = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000', '');

/**
 * The DID document and metadata ethr-did-resolver 11 answers for an address-form did:ethr, built from the
 * registry events in memory: a port of its `wrapDidDocument` and `resolve` (same ids, types, order, positional
 * `#delegate-N`/`#service-N` counting over valid and invalid events alike, revocations, deactivation by the
 * null owner, `versionId`/`nextVersionId`). Keep it in step with node_modules/ethr-did-resolver/src/resolver.ts:
 * the differential test (test/did/did-mirror-differential.test.ts) compares the two at every block.
 */
export function buildDocument(input: DocumentInput): BuiltDocument {
  const sources = new Map<string, string>();
  try {
    const built = wrap(input, sources);
    const time = (block: number) => input.events.find((e) => e.blockNumber === block)!.time;
    return {
      sources,
      result: {
        didDocumentMetadata: {
          ...(built.deactivated ? { deactivated: true } : {}),
          ...(built.versionId !== 0 ? { versionId: String(built.versionId), updated: isoDate(time(built.versionId)) } : {}),
          ...(built.nextVersionId !== Infinity ? { nextVersionId: String(built.nextVersionId), nextUpdate: isoDate(time(built.nextVersionId)) } : {}),
        },
        didResolutionMetadata: { contentType: input.accept },
        didDocument: { ...built.didDocument, ...(input.accept === DID_LD_JSON ? { '@context': [...LD_CONTEXT] } : {}) },
      },
    };
  } catch (error) {
    // ethr-did-resolver answers a document it cannot build (a service or PEM value that is not UTF-8) so.
    return { sources: new Map(), result: { didResolutionMetadata: { error: 'notFound', message: String(error) }, didDocumentMetadata: {}, didDocument: null } };
  }
}

function wrap(input: DocumentInput, sources: Map<string, string>) {
  const { did, chainId, events } = input;
  const base: DIDDocument = { id: did, verificationMethod: [], authentication: [], assertionMethod: [] };
  let controller = input.address;
  const authentication = [`${did}#controller`];
  const assertionMethod = [`${did}#controller`];
  let versionId = 0;
  let nextVersionId = Number.POSITIVE_INFINITY;
  let deactivated = false;
  let delegateCount = 0;
  let serviceCount = 0;
  // Maps, not objects: same insertion order for these keys (never integer-like), no prototype to meet.
  const auth = new Map<string, string>();
  const keyAgreementRefs = new Map<string, string>();
  const signingRefs = new Map<string, string>();
  const pks = new Map<string, VerificationMethod>();
  const services = new Map<string, Service>();
  const height = input.block === 'latest' ? -1 : input.block;

  for (const event of events) {
    if (height !== -1 && event.blockNumber > height) {
      if (nextVersionId > event.blockNumber) nextVersionId = event.blockNumber;
      continue;
    } else if (versionId < event.blockNumber) {
      versionId = event.blockNumber;
    }
    const validTo = event.validTo || 0n;
    const index = eventKey(event);
    if (validTo && input.holds(event)) {
      if (event._eventName === 'DIDDelegateChanged') {
        delegateCount++;
        const id = `${did}#delegate-${delegateCount}`;
        if (event.delegateType === 'sigAuth') auth.set(index, id);
        if (event.delegateType === 'sigAuth' || event.delegateType === 'veriKey') {
          pks.set(index, { id, type: RECOVERY_METHOD, controller: did, blockchainAccountId: `eip155:${chainId}:${event.delegate}` });
          signingRefs.set(index, id);
          sources.set(id, index);
        }
      } else if (event._eventName === 'DIDAttributeChanged') {
        const match = event.name!.match(/^did\/(pub|svc)\/(\w+)(\/(\w+))?(\/(\w+))?$/);
        if (match) {
          const [, section, algorithm, , purpose, , encoding] = match;
          if (section === 'pub') {
            delegateCount++;
            const type = ATTRIBUTE_TYPES[purpose] || purpose;
            const pk: VerificationMethod & Record<string, unknown> = { id: `${did}#delegate-${delegateCount}`, type: `${algorithm}${type}`, controller: did };
            pk.type = ALGORITHM_TYPES[pk.type] || algorithm;
            const value = event.value!;
            if (encoding === undefined || encoding === 'hex') pk.publicKeyHex = value.startsWith('0x') ? value.slice(2) : value;
            else if (encoding === 'base64') pk.publicKeyBase64 = encodeBase64(value);
            else if (encoding === 'base58') pk.publicKeyBase58 = encodeBase58(value);
            else if (encoding === 'pem') pk.publicKeyPem = toUtf8String(value);
            else pk.value = value.startsWith('0x') ? value.slice(2) : value;
            pks.set(index, pk);
            sources.set(pk.id, index);
            if (purpose === 'sigAuth') {
              auth.set(index, pk.id);
              signingRefs.set(index, pk.id);
            } else if (purpose === 'enc') keyAgreementRefs.set(index, pk.id);
            else signingRefs.set(index, pk.id);
          } else {
            serviceCount++;
            const encoded = toUtf8String(event.value!);
            let endpoint: unknown;
            try {
              endpoint = JSON.parse(encoded);
            } catch {
              endpoint = encoded;
            }
            services.set(index, { id: `${did}#service-${serviceCount}`, type: algorithm, serviceEndpoint: endpoint as Service['serviceEndpoint'] });
          }
        }
      }
    } else if (event._eventName === 'DIDOwnerChanged') {
      controller = event.owner!;
      if (event.owner === NULL_ADDRESS) {
        deactivated = true;
        break;
      }
    } else {
      if (event._eventName === 'DIDDelegateChanged' || /^did\/pub\//.test(event.name!)) delegateCount++;
      else if (/^did\/svc\//.test(event.name!)) serviceCount++;
      auth.delete(index);
      signingRefs.delete(index);
      pks.delete(index);
      services.delete(index);
      // ethr-did-resolver leaves keyAgreement as it was (a revoked `enc` key stays referenced): so does this.
    }
  }

  const methods: VerificationMethod[] = [{ id: `${did}#controller`, type: RECOVERY_METHOD, controller: did, blockchainAccountId: `eip155:${chainId}:${controller}` }];
  const didDocument: DIDDocument = {
    ...base,
    verificationMethod: methods.concat([...pks.values()]),
    authentication: authentication.concat([...auth.values()]),
    assertionMethod: assertionMethod.concat([...signingRefs.values()]),
  };
  if (services.size > 0) didDocument.service = [...services.values()];
  if (keyAgreementRefs.size > 0) didDocument.keyAgreement = [...keyAgreementRefs.values()];
  return { didDocument: deactivated ? base : didDocument, deactivated, versionId, nextVersionId };
}
