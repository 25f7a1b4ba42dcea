import { DcqlPresentationResult, DcqlQuery, type DcqlQueryResult } from 'dcql';
import { getCredentialType } from '../catalog/registry.js';
import { findTypeByVct, vctOf } from '../catalog/vct.js';
import type { ClaimPath } from '../trust/claim-path.js';
import { isInheritedName, registryPathOf } from './claim-path.js';

/**
 * One DCQL matcher for the holder and the verifier (OpenID4VP 1.0 §6), built on the `dcql` library, so the
 * wallet and the verifier can never disagree on whether a credential answers a request. govcred speaks two
 * formats: `dc+sd-jwt` (claims at the top level, paths as the credential's claims) and `jwt_vc_json` (paths
 * into the W3C credential, e.g. `["credentialSubject", "degree"]`, OID4VP 1.0 Appendix B.1.3).
 */

/** The formats a DCQL query may ask govcred for. */
export const DCQL_FORMATS = ['dc+sd-jwt', 'jwt_vc_json'] as const;
export type DcqlFormat = (typeof DCQL_FORMATS)[number];

/** Bounds on a query, checked before the library sees it (it has none of its own). */
export const DCQL_LIMITS = { credentials: 10, claims: 50, claimSets: 20, pathSegments: 16, valuesPerMeta: 10, serialisedLength: 16_384 } as const;

/** A DCQL query as the `dcql` library parsed it. */
export type ParsedDcqlQuery = DcqlQuery.Output;

/** What one credential query asks, in the catalog's terms: its type and subject claim paths (`[[]]`: everything). */
export interface RequestedCredentialScope {
  id: string;
  format: DcqlFormat;
  /** Catalog type name; undefined when the query names no type of the catalog. */
  type?: string;
  /** Every claim path the query may ask for (all claim sets), relative to the credential subject. */
  paths: ClaimPath[];
}

/** A credential as the matcher sees it: what a holder holds, or what a verifier verified. */
export interface DcqlCandidate {
  format: DcqlFormat;
  /** Catalog type name. */
  type: string;
  /** Subject claims (disclosed ones, for a presented SD-JWT VC). */
  claims: Record<string, unknown>;
  /** The issuer DID, for a request that names the issuers it accepts. */
  issuer?: string;
}

/** The `dcql` library's answer for a query over candidates (`credential_matches` per credential query id). */
export type DcqlMatches = Partial<DcqlQueryResult['credential_matches']>;

/** The path of a claims query (mdoc's namespace form has none; the parser refuses mdoc anyway). */
const pathOf = (claim: object): Array<string | number | null> => ('path' in claim && Array.isArray(claim.path) ? [...(claim.path as Array<string | number | null>)] : []);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses and validates an untrusted DCQL query: govcred's formats only, sizes bounded, then the library's own
 * schema and validation (unique ids, claim_sets naming existing claims). Never throws.
 */
export function parseDcqlQuery(input: unknown): { ok: true; query: ParsedDcqlQuery } | { ok: false; message: string } {
  const fail = (message: string) => ({ ok: false as const, message });
  let serialised: string;
  try {
    serialised = JSON.stringify(input);
  } catch {
    return fail('the query is not JSON');
  }
  if (serialised === undefined || serialised.length > DCQL_LIMITS.serialisedLength) return fail(`the query is longer than ${DCQL_LIMITS.serialisedLength} characters`);
  if (!isObject(input) || !Array.isArray(input.credentials)) return fail('a DCQL query has a credentials array');
  if (input.credentials.length === 0 || input.credentials.length > DCQL_LIMITS.credentials) return fail(`1 to ${DCQL_LIMITS.credentials} credential queries`);
  if (input.credential_sets !== undefined) return fail('credential_sets is not supported: every credential query is required');
  for (const c of input.credentials) {
    if (!isObject(c) || !DCQL_FORMATS.includes(c.format as DcqlFormat)) return fail(`format must be one of ${DCQL_FORMATS.join(', ')}`);
    if (Array.isArray(c.claims) && c.claims.length > DCQL_LIMITS.claims) return fail(`at most ${DCQL_LIMITS.claims} claims per credential query`);
    if (Array.isArray(c.claim_sets) && c.claim_sets.length > DCQL_LIMITS.claimSets) return fail(`at most ${DCQL_LIMITS.claimSets} claim sets`);
    if (Array.isArray(c.claims) && c.claims.some((claim) => !isObject(claim) || !Array.isArray(claim.path) || claim.path.length > DCQL_LIMITS.pathSegments)) {
      return fail(`a claim path has 1 to ${DCQL_LIMITS.pathSegments} segments`);
    }
    if (Array.isArray(c.claims) && c.claims.some((claim) => (claim.path as unknown[]).some(isInheritedName))) return fail('a claim path names a member every object inherits');
  }
  try {
    const query = DcqlQuery.parse(input as DcqlQuery.Input);
    DcqlQuery.validate(query);
    return { ok: true, query };
  } catch (error) {
    return fail(error instanceof Error ? error.message.slice(0, 500) : 'the query is not a valid DCQL query');
  }
}

/** The catalog type a credential query names (by vct for SD-JWT VC, by type_values for a W3C VC). */
export function typeOfQuery(credential: ParsedDcqlQuery['credentials'][number]): string | undefined {
  const meta = (credential.meta ?? {}) as { vct_values?: string[]; type_values?: string[][] };
  if (credential.format === 'dc+sd-jwt') {
    const types = new Set((meta.vct_values ?? []).map((vct) => findTypeByVct(vct)?.type));
    return types.size === 1 ? [...types][0] : undefined;
  }
  const names = new Set((meta.type_values ?? []).flat().filter((t) => t !== 'VerifiableCredential' && getCredentialType(t)));
  return names.size === 1 ? [...names][0] : undefined;
}

/** A query path relative to the credential's claims: a W3C VC's paths start at `credentialSubject`; undefined outside it. */
export function subjectPath(format: string, path: ReadonlyArray<string | number | null>): Array<string | number | null> | undefined {
  const rest = format === 'jwt_vc_json' ? (path[0] === 'credentialSubject' ? path.slice(1) : undefined) : [...path];
  return rest && rest.length > 0 ? rest : undefined;
}

/**
 * What each credential query asks for, as catalog type and subject claim paths, for the registration check on
 * both sides. A query without `claims` asks for the whole credential (`[[]]`, OID4VP 1.0 §6.1); a path is cut at
 * its first array segment, since an element lies under its array (`["coOwners", null, "name"]` needs `coOwners`
 * registered: never looser than the registration); a path outside the subject counts as the whole credential.
 */
export function requestedScopes(query: ParsedDcqlQuery): RequestedCredentialScope[] {
  return query.credentials.map((credential) => {
    const claims = credential.claims ?? [];
    const paths: ClaimPath[] = claims.length === 0 ? [[]] : claims.map((claim) => registryPathOf(subjectPath(credential.format, pathOf(claim)) ?? []));
    const type = typeOfQuery(credential);
    return { id: credential.id, format: credential.format as DcqlFormat, ...(type ? { type } : {}), paths };
  });
}

/** The input the `dcql` library matches against, for one candidate. */
function dcqlInput(candidate: DcqlCandidate) {
  const definition = getCredentialType(candidate.type);
  if (candidate.format === 'dc+sd-jwt') {
    return { credential_format: 'dc+sd-jwt' as const, vct: definition ? vctOf(definition) : '', claims: candidate.claims, cryptographic_holder_binding: true };
  }
  return {
    credential_format: 'jwt_vc_json' as const,
    type: ['VerifiableCredential', candidate.type],
    claims: { credentialSubject: candidate.claims },
    cryptographic_holder_binding: true,
  };
}

/** The claim paths (as in the query) a matched candidate must disclose: those of the first claim set it satisfies. */
export interface DcqlSelection {
  credentialQueryId: string;
  /** Index into the candidates. */
  candidate: number;
  /** Query paths to disclose; `undefined`: the query asked for the whole credential. */
  paths?: Array<Array<string | number | null>>;
}

/**
 * Holder side: picks, for every credential query, the first candidate that satisfies it and the claims it must
 * disclose (the first satisfied claim set, OID4VP 1.0 §6.4.1: the wallet returns the first option it can).
 * @returns the selections, or the ids of the credential queries no candidate answers
 */
export function selectForDcql(query: ParsedDcqlQuery, candidates: DcqlCandidate[]): { ok: true; selections: DcqlSelection[] } | { ok: false; missing: string[] } {
  const matches = matchDcql(query, candidates);
  const selections: DcqlSelection[] = [];
  const missing: string[] = [];
  for (const credential of query.credentials) {
    const match = matches[credential.id];
    const valid = match?.success ? match.valid_credentials?.[0] : undefined;
    if (!valid) {
      missing.push(credential.id);
      continue;
    }
    const claims = credential.claims;
    const indexes = (valid.claims as { valid_claim_sets?: Array<{ valid_claim_indexes?: number[] }> }).valid_claim_sets?.[0]?.valid_claim_indexes;
    selections.push({
      credentialQueryId: credential.id,
      candidate: valid.input_credential_index,
      ...(claims && claims.length > 0 ? { paths: (indexes ?? claims.map((_, i) => i)).map((i) => pathOf(claims[i]!)) } : {}),
    });
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, selections };
}

/**
 * A query split by format, kept per parsed query (the reads of queries are kept and shared, so the same object
 * comes back): the library judges every candidate against every credential query, and a candidate of another
 * format fails on its format alone (`credential_format` is a literal of the query's format in the library's meta
 * parsers), after the library has built and run that query's claim and meta parsers for it. Under the
 * verification bench that was half of the matcher's CPU for a query asked in both formats.
 */
const byFormat = new WeakMap<ParsedDcqlQuery, Array<{ format: DcqlFormat; query: ParsedDcqlQuery }>>();

function splitByFormat(query: ParsedDcqlQuery): Array<{ format: DcqlFormat; query: ParsedDcqlQuery }> {
  let parts = byFormat.get(query);
  if (!parts) {
    // credential_sets are left out: only credential_matches is answered, and it does not depend on them.
    parts = DCQL_FORMATS.map((format) => ({ format, query: { credentials: query.credentials.filter((c) => c.format === format) } as ParsedDcqlQuery })).filter(
      (part) => part.query.credentials.length > 0,
    );
    byFormat.set(query, parts);
  }
  return parts;
}

/**
 * The one matcher: which candidates answer which credential query (format, type by `vct_values`/`type_values`,
 * every claim of a claim set, `values`), as the `dcql` library decides (OID4VP 1.0 §6.4). Used by the holder to
 * choose and by the verifier to judge. Each credential query is run over the candidates of its format only, so
 * `failed_credentials` lists those alone (a candidate of another format can never be valid for it); indexes are
 * the candidates' own. Never throws: when the library fails, no query is answered.
 */
export function matchDcql(query: ParsedDcqlQuery, candidates: readonly DcqlCandidate[]): DcqlMatches {
  if (candidates.length === 0) return {};
  try {
    const matches: DcqlMatches = {};
    for (const part of splitByFormat(query)) {
      const indexes: number[] = [];
      candidates.forEach((candidate, i) => {
        if (candidate.format === part.format) indexes.push(i);
      });
      const found = DcqlQuery.query(part.query, indexes.map((i) => dcqlInput(candidates[i]!)) as never).credential_matches;
      for (const [id, match] of Object.entries(found)) {
        // Fresh objects of the library's answer: their indexes are turned back into the caller's.
        for (const result of [...(match.valid_credentials ?? []), ...(match.failed_credentials ?? [])]) result.input_credential_index = indexes[result.input_credential_index]!;
        matches[id] = match;
      }
    }
    return matches;
  } catch {
    return {};
  }
}

/**
 * Verifier side: whether what was presented (and verified) under each credential query id answers the query.
 * @returns the ids of the credential queries left unanswered (empty when satisfied)
 */
export function unansweredDcqlQueries(query: ParsedDcqlQuery, presented: Record<string, DcqlCandidate[]>): string[] {
  const presentation = Object.fromEntries(Object.entries(presented).filter(([, list]) => list.length > 0).map(([id, list]) => [id, list.map(dcqlInput)]));
  let result: ReturnType<typeof DcqlPresentationResult.fromDcqlPresentation>;
  try {
    result = DcqlPresentationResult.fromDcqlPresentation(presentation as never, { dcqlQuery: query });
  } catch {
    return query.credentials.map((c) => c.id);
  }
  return query.credentials.filter((c) => !result.credential_matches[c.id]?.success).map((c) => c.id);
}
