import type { ProblemCode } from '../verification/problem-codes.js';
import type { VerifiedCredentialSummary } from '../verification/types.js';
import { claimPathText } from './claim-path.js';
import { matchDcql, subjectPath, type DcqlCandidate } from './dcql.js';
import type { QueryEntry, ReadPresentationQuery } from './read-query.js';

type RequestProblem = { code: ProblemCode; message: string; path: string };

/** One candidate's outcome against one credential query, as the `dcql` library reports it. */
interface CandidateResult {
  input_credential_index: number;
  meta: { success: boolean };
  claims: { success: boolean; failed_claim_sets?: Array<{ failed_claim_indexes?: number[] }> };
}

/**
 * Checks that the verified credentials answer the query, with the one DCQL matcher the wallet uses (so a wallet
 * never sends what the verifier will judge incomplete, nor withholds what it would accept): for every entry, a
 * credential of the type, from an accepted issuer, holding every requested claim (disclosed claims only: a
 * summary holds nothing else). Returns the problems (empty when satisfied): `requested_credential_missing` (no
 * credential of the type), `issuer_not_trusted`, or `requested_claim_missing` per claim the closest credential lacks.
 */
export function queryProblems(query: ReadPresentationQuery, credentials: VerifiedCredentialSummary[], sameDid: (a: string, b: string) => boolean): RequestProblem[] {
  const candidates: DcqlCandidate[] = credentials.map((c) => ({ format: c.format === 'dc+sd-jwt' ? 'dc+sd-jwt' : 'jwt_vc_json', type: c.type, claims: c.claims, issuer: c.issuer }));
  const matches = matchDcql(query.dcql, candidates);
  return query.entries.flatMap((entry) => {
    const accepted = (i: number) => !entry.issuers || entry.issuers.some((did) => sameDid(did, credentials[i]!.issuer));
    const results = entry.ids.flatMap((id) => {
      const match = matches[id] as { valid_credentials?: CandidateResult[]; failed_credentials?: CandidateResult[] } | undefined;
      return [...(match?.valid_credentials ?? []), ...(match?.failed_credentials ?? [])].map((result) => ({ id, result }));
    });
    if (results.some(({ result }) => result.meta.success && result.claims.success && accepted(result.input_credential_index))) return [];
    return entryProblems(query, entry, results, credentials, accepted);
  });
}

/** Why an unanswered entry is unanswered, in the terms of the closest credential. */
function entryProblems(
  query: ReadPresentationQuery,
  entry: QueryEntry,
  results: Array<{ id: string; result: CandidateResult }>,
  credentials: VerifiedCredentialSummary[],
  accepted: (i: number) => boolean,
): RequestProblem[] {
  const ofType = results.filter(({ result }) => result.meta.success).sort((a, b) => a.result.input_credential_index - b.result.input_credential_index);
  if (ofType.length === 0) return [{ code: 'requested_credential_missing', message: `no verified ${entry.label} was presented`, path: entry.path }];
  const trusted = ofType.filter(({ result }) => accepted(result.input_credential_index));
  if (trusted.length === 0) {
    return [{ code: 'issuer_not_trusted', message: `no ${entry.label} from an issuer the request accepts`, path: credentials[ofType[0]!.result.input_credential_index]!.path }];
  }
  // The credential that lacks fewest claims (in its closest claim set) names what is missing.
  const missingBy = trusted.map(({ id, result }) => {
    const sets = result.claims.failed_claim_sets ?? [];
    const fewest = sets.map((s) => s.failed_claim_indexes ?? []).reduce<number[] | undefined>((a, b) => (a === undefined || b.length < a.length ? b : a), undefined) ?? [];
    return { id, result, fewest };
  });
  const best = missingBy.reduce((a, b) => (b.fewest.length < a.fewest.length ? b : a));
  const credentialQuery = query.dcql.credentials.find((c) => c.id === best.id)!;
  const credential = credentials[best.result.input_credential_index]!;
  return best.fewest.map((index) => {
    const claim = credentialQuery.claims?.[index] as { path?: Array<string | number | null> } | undefined;
    const path = subjectPath(credentialQuery.format, claim?.path ?? []) ?? claim?.path ?? [];
    const text = claimPathText(path);
    const base = credential.format === 'dc+sd-jwt' ? credential.path : `${credential.path}.credentialSubject`;
    return {
      code: 'requested_claim_missing' as const,
      message: `the ${entry.label} does not hold the requested claim ${text}`,
      path: text.startsWith('[') ? `${base}${text}` : `${base}.${text}`,
    };
  });
}
