import { DcqlQuery } from 'dcql';
import { getCredentialType, vctOf } from '../catalog/index.js';
import { isBrokenEthrDid, parseEthrDid } from '../did/ethr-did.js';
import type { ClaimPath } from '../trust/claim-path.js';
import { isInheritedName, registryPathOf, toDcqlPath } from './claim-path.js';
import { parseDcqlQuery, requestedScopes, type ParsedDcqlQuery } from './dcql.js';
import type { LegacyPresentationQuery, PresentationQuery } from './presentation-query.js';

/** One thing a query asks for, as the request check reports on it. */
export interface QueryEntry {
  /** Where it sits in the query, for problem paths: `query.credentials[0]`. */
  path: string;
  /** How messages name it: the catalog type, or the credential query id. */
  label: string;
  /** The DCQL credential queries that answer it, any one of them (a type asked in either format). */
  ids: string[];
  /** Accepted issuer DIDs (the original shape's trust policy); any accredited issuer when absent. */
  issuers?: string[];
}

/** A VC-API query read and translated: the DCQL query the matcher runs, and what it asks for. */
export interface ReadPresentationQuery {
  dcql: ParsedDcqlQuery;
  entries: QueryEntry[];
  /** Per entry, its type (DCQL: undefined when it names none of the catalog) and claim paths in the registry's form. */
  scopes: Array<{ type?: string; label: string; paths: ClaimPath[] }>;
}

export type QueryError = { path: string; message: string };

const isLegacy = (query: PresentationQuery): query is LegacyPresentationQuery =>
  query.credentials.every((c) => typeof c === 'object' && c !== null && 'type' in c && !('format' in c) && !('id' in c));

type QueryRead = { ok: true; query: ReadPresentationQuery } | { ok: false; errors: QueryError[] };

/**
 * The reads of the most recent queries, by their JSON text, frozen (callers share them). A counter asks the same
 * few questions over and over, and a request reads its query up to three times (body check, service, pipeline):
 * profiled under the verification bench, reading (dcql's valibot parsing and validation) was a tenth of the
 * verifier's CPU per presentation. A Map in insertion order serves as the bounded least-recently-used list.
 */
const recentReads = new Map<string, QueryRead>();
const RECENT_READS = 256;
/** Longer queries are read every time rather than kept (the body limit bounds them anyway). */
const MAX_KEPT_QUERY_CHARS = 16_384;

/**
 * Reads a VC-API `options.query`: a DCQL query through {@link parseDcqlQuery}; the original shape checked and
 * translated to DCQL (each type asked as `dc+sd-jwt` by its vct or `jwt_vc_json` by its type, one credential set
 * whose options are the two). Errors carry JSON Pointers below `/query`. Never throws. The answer is frozen.
 */
export function readPresentationQuery(query: PresentationQuery): QueryRead {
  let key: string | undefined;
  try {
    key = JSON.stringify(query);
  } catch {
    key = undefined; // e.g. a cycle: not JSON, read (and refused) below
  }
  const kept = key !== undefined && key.length <= MAX_KEPT_QUERY_CHARS;
  const hit = kept ? recentReads.get(key!) : undefined;
  if (hit) {
    recentReads.delete(key!);
    recentReads.set(key!, hit);
    return hit;
  }
  const read = deepFreeze(readUncached(query));
  if (kept) {
    recentReads.set(key!, read);
    if (recentReads.size > RECENT_READS) recentReads.delete(recentReads.keys().next().value!);
  }
  return read;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function readUncached(query: PresentationQuery): QueryRead {
  if (!isLegacy(query)) {
    const parsed = parseDcqlQuery(query);
    if (!parsed.ok) return { ok: false, errors: [{ path: '/query', message: parsed.message }] };
    const scopes = requestedScopes(parsed.query);
    return {
      ok: true,
      query: {
        dcql: parsed.query,
        entries: parsed.query.credentials.map((c, k) => ({ path: `query.credentials[${k}]`, label: scopes[k]!.type ?? c.id, ids: [c.id] })),
        scopes: scopes.map((s) => ({ ...(s.type ? { type: s.type } : {}), label: s.type ?? s.id, paths: s.paths })),
      },
    };
  }
  const errors = legacyErrors(query);
  if (errors.length > 0) return { ok: false, errors };
  return fromLegacy(query);
}

/**
 * What the JSON Schema cannot see in the original shape: an accepted issuer that is a broken did:ethr (e.g. a
 * wrong EIP-55 checksum) could never match a credential, so the request is refused when it is made rather than
 * failing every presentation later; a claim naming a member every object inherits is refused as in DCQL.
 */
function legacyErrors(query: LegacyPresentationQuery): QueryError[] {
  const errors: QueryError[] = [];
  query.credentials.forEach((requested, j) => {
    (requested.issuers ?? []).forEach((did, k) => {
      const parsed = parseEthrDid(did);
      if (!parsed.ok && isBrokenEthrDid(parsed.reason)) errors.push({ path: `/query/credentials/${j}/issuers/${k}`, message: parsed.message });
    });
    (requested.claims ?? []).forEach((claim, k) => {
      if (toDcqlPath(claim).some(isInheritedName)) errors.push({ path: `/query/credentials/${j}/claims/${k}`, message: 'a claim path names a member every object inherits' });
    });
  });
  return errors;
}

/** The original shape as DCQL: one credential set per requested type, its options the formats the type comes in. */
function fromLegacy(query: LegacyPresentationQuery): { ok: true; query: ReadPresentationQuery } | { ok: false; errors: QueryError[] } {
  const credentials: Array<Record<string, unknown>> = [];
  const sets: Array<{ options: string[][] }> = [];
  const entries: QueryEntry[] = [];
  query.credentials.forEach((requested, j) => {
    const paths = (requested.claims ?? []).map(toDcqlPath);
    const claims = (prefix: string[]) => (paths.length > 0 ? { claims: paths.map((p) => ({ path: [...prefix, ...p] })) } : {});
    const definition = getCredentialType(requested.type);
    const ids: string[] = [];
    // A type outside the catalog has no vct: only its W3C form can be asked (and nothing will answer it).
    if (definition) {
      ids.push(`q${j}_sd`);
      credentials.push({ id: `q${j}_sd`, format: 'dc+sd-jwt', meta: { vct_values: [vctOf(definition)] }, ...claims([]) });
    }
    ids.push(`q${j}_jwt`);
    credentials.push({ id: `q${j}_jwt`, format: 'jwt_vc_json', meta: { type_values: [['VerifiableCredential', requested.type]] }, ...claims(['credentialSubject']) });
    sets.push({ options: ids.map((id) => [id]) });
    entries.push({ path: `query.credentials[${j}]`, label: requested.type, ids, ...(requested.issuers ? { issuers: requested.issuers } : {}) });
  });
  try {
    const dcql = DcqlQuery.parse({ credentials, credential_sets: sets } as DcqlQuery.Input);
    DcqlQuery.validate(dcql);
    const scopes = query.credentials.map((requested) => ({
      type: requested.type,
      label: requested.type,
      paths: requested.claims && requested.claims.length > 0 ? requested.claims.map(registryPathOf) : [[]],
    }));
    return { ok: true, query: { dcql, entries, scopes } };
  } catch (error) {
    return { ok: false, errors: [{ path: '/query', message: error instanceof Error ? error.message.slice(0, 500) : 'the query cannot be read' }] };
  }
}

/** The errors of a VC-API query (empty when it can be read): for the edge to answer 400 `invalid_request`. */
export function presentationQueryErrors(query: PresentationQuery): QueryError[] {
  const read = readPresentationQuery(query);
  return read.ok ? [] : read.errors;
}
