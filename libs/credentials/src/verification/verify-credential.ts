import { getAddress } from 'ethers';
import { isBrokenEthrDid, parseEthrDid } from '../did/ethr-did.js';
import { ethrDidAddress } from '../did/resolver.js';
import { parseStatusEntries } from '../format/status-entry.js';
import { PURPOSE_NAMES } from '../chain/status-codec.js';
import { jwtOf, readCredentialPayload, type CredentialPayloadView } from './credential-payload.js';
import { decodeJwt, pinnedResolver, verifyJwtSignature, type DecodedJwt } from './jwt.js';
import type { ProblemCode } from './problem-codes.js';
import { Recorder } from './recorder.js';
import type { VerificationContext, VerificationResult, VerifiedCredentialSummary } from './types.js';

type ProblemList = Array<{ code: ProblemCode; message: string; path?: string }>;

const LATER_CHECKS = ['holder_binding', 'validity_period', 'schema', 'status', 'accreditation'] as const;

/** Options of {@link checkCredential}. */
export interface CheckCredentialOptions {
  /** Where the credential sits in the input, e.g. `verifiableCredential[0]`. @default 'verifiableCredential' */
  path?: string;
  /** The presentation's holder DID: the credential's subject must be it. Holder binding is skipped without it. */
  holder?: string;
}

/** Same DID, with did:ethr addresses compared case-insensitively (checksummed or not). */
export function sameDid(a: string, b: string, chainId: number): boolean {
  const x = ethrDidAddress(a, chainId);
  const y = ethrDidAddress(b, chainId);
  return x !== undefined && y !== undefined ? x === y : a === b;
}

/**
 * Runs every credential check on one VC-JWT, recording into `recorder`; returns what the credential says
 * when its signature held. Never throws on untrusted input.
 */
export async function checkCredential(
  input: unknown,
  ctx: VerificationContext,
  recorder: Recorder,
  options: CheckCredentialOptions = {},
): Promise<VerifiedCredentialSummary | undefined> {
  const path = options.path ?? 'verifiableCredential';
  const skipRest = (from: number) => {
    for (const check of ['credential_signature', ...LATER_CHECKS].slice(from)) {
      if (check !== 'holder_binding' || options.holder !== undefined) recorder.skip(check as never, path);
    }
  };

  const decoded = decodeJwt(jwtOf(input));
  if (!decoded.ok) {
    recorder.fail('credential_format', path, [{ code: decoded.code, message: decoded.message }]);
    skipRest(0);
    return undefined;
  }
  const read = readCredentialPayload(decoded.decoded);
  if (!read.ok) {
    recorder.fail('credential_format', path, [{ code: read.code, message: read.message, ...(read.path ? { path: `${path}.${read.path}` } : {}) }]);
    skipRest(0);
    return undefined;
  }
  recorder.pass('credential_format', path);
  const view = read.view;

  const issuerDid = parseEthrDid(view.issuer, ctx.chainId);
  const issuerAddress = issuerDid.ok ? issuerDid.address : undefined;
  const signature = issuerDid.ok
    ? await checkIssuerSignature(decoded.decoded, view, ctx)
    : isBrokenEthrDid(issuerDid.reason)
      ? [{ code: 'did_invalid' as const, message: `the issuer DID is broken: ${issuerDid.message}` }]
      : [{ code: 'did_unresolvable' as const, message: `the issuer must be a did:ethr identity on chain ${ctx.chainId}` }];
  recorder.outcome('credential_signature', path, signature);
  if (signature.length > 0 || !issuerAddress) {
    skipRest(1);
    return undefined;
  }

  if (options.holder !== undefined) {
    recorder.outcome(
      'holder_binding',
      path,
      sameDid(view.subject, options.holder, ctx.chainId)
        ? []
        : [{ code: 'holder_mismatch', message: 'the credential was issued to another subject than the presentation holder' }],
    );
  }
  recorder.outcome('validity_period', path, validityProblems(view, ctx));
  recorder.outcome('schema', path, schemaProblems(view, ctx, path));
  const flags: StatusFlags = {};
  recorder.outcome('status', path, statusProblems(view, issuerAddress, ctx, flags));
  recorder.outcome('accreditation', path, accreditationProblems(view, issuerAddress, ctx));

  return {
    path,
    ...(view.id ? { id: view.id } : {}),
    type: view.typeName,
    issuer: view.issuer,
    subject: view.subject,
    issuanceDate: new Date(view.notBefore * 1000).toISOString(),
    ...(view.expires !== undefined ? { expirationDate: new Date(view.expires * 1000).toISOString() } : {}),
    claims: view.claims,
    ...(flags.encumbered ? { encumbered: true as const } : {}),
  };
}

/** Verifies one credential on its own (`POST /credentials/verify`): no holder binding. Never throws. */
export async function verifyCredential(input: unknown, ctx: VerificationContext): Promise<VerificationResult> {
  const recorder = new Recorder();
  const summary = await checkCredential(input, ctx, recorder);
  return { verified: recorder.allPassed, checks: recorder.checks, problems: recorder.problems, credentials: summary ? [summary] : [] };
}

/**
 * The issuer's signature, checked with the issuer's keys as they were at issuance (`nbf`): the DID document
 * is resolved at the last block mined at or before that time. An honest credential therefore survives a later
 * ERC-1056 owner change, and a rotated-out key cannot sign a credential dated after the rotation.
 *
 * Limit: `nbf` is chosen by the signer. Whoever steals a key that was later rotated out can still back-date a
 * credential to a time the key was in force; only the status lists (revoking what the agency did not issue)
 * or an on-chain record of issuance could tell such a credential from an honest old one.
 */
async function checkIssuerSignature(decoded: DecodedJwt, view: CredentialPayloadView, ctx: VerificationContext): Promise<ProblemList> {
  let block: number;
  try {
    block = await ctx.blocks.blockAt(view.notBefore);
  } catch {
    return [{ code: 'did_unresolvable', message: 'the chain could not be read to resolve the issuer DID' }];
  }
  const outcome = await verifyJwtSignature(decoded, pinnedResolver(ctx.resolver, view.issuer, block), 'assertionMethod', ctx.signatures);
  if (outcome.ok) return [];
  return outcome.reason === 'did_unresolvable'
    ? [{ code: 'did_unresolvable', message: outcome.message }]
    : [{ code: 'credential_signature_invalid', message: 'the credential signature does not match the issuer key in force at issuance' }];
}

function validityProblems(view: CredentialPayloadView, ctx: VerificationContext): ProblemList {
  const now = Math.floor(ctx.now().getTime() / 1000);
  const problems: ProblemList = [];
  if (view.notBefore > now + ctx.clockSkewSeconds) {
    problems.push({ code: 'credential_not_yet_valid', message: `the credential is valid from ${new Date(view.notBefore * 1000).toISOString()}` });
  }
  if (view.expires !== undefined && view.expires <= now - ctx.clockSkewSeconds) {
    problems.push({ code: 'credential_expired', message: `the credential expired at ${new Date(view.expires * 1000).toISOString()}` });
  }
  return problems;
}

function schemaProblems(view: CredentialPayloadView, ctx: VerificationContext, path: string): ProblemList {
  let type: string | undefined;
  try {
    type = ctx.catalog.typeOfSchema(view.credentialSchema);
  } catch {
    type = undefined;
  }
  if (type === undefined) {
    return [{ code: 'schema_unknown', message: 'credentialSchema does not name a schema (id and digest) of the catalog', path: `${path}.credentialSchema` }];
  }
  if (type !== view.typeName) {
    return [{ code: 'schema_unknown', message: `credentialSchema is the schema of ${type}, not of ${view.typeName}`, path: `${path}.credentialSchema` }];
  }
  const outcome = ctx.catalog.validateClaims(type, view.claims);
  if (outcome.ok) return [];
  // Claim names come from the credential: a path or message naming a 10 KB key is cut, not echoed whole.
  const cut = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);
  return outcome.errors.slice(0, 20).map((e) => ({
    code: 'claims_invalid' as const,
    message: cut(e.message),
    path: cut(`${path}.credentialSubject${e.path.startsWith('/') ? e.path.replaceAll('/', '.') : e.path ? `.${e.path}` : ''}`),
  }));
}

/** What the status check found that is not a problem but the relying party must see (a mortgage). */
export interface StatusFlags {
  encumbered?: boolean;
}

/** The purpose sets a credential may carry: every credential, and property titles (issued since title chains). */
const PURPOSE_SETS = ['revocation,suspension', 'encumbered,revocation,superseded,suspension'];

/** The status check of any format: the entries must point into the issuer's own lists on the trusted registry. */
export function statusProblems(view: Pick<CredentialPayloadView, 'credentialStatus'>, issuer: string, ctx: VerificationContext, flags: StatusFlags): ProblemList {
  const parsed = parseStatusEntries(view.credentialStatus);
  if ('error' in parsed) return [{ code: 'status_invalid', message: parsed.error }];
  const { entries } = parsed;
  if (!PURPOSE_SETS.includes(entries.map((e) => e.purpose).sort().join(','))) {
    return [{ code: 'status_invalid', message: 'a credential carries one revocation and one suspension entry (a property title also one superseded and one encumbered entry)' }];
  }
  const raw = (Array.isArray(view.credentialStatus) ? view.credentialStatus : []) as Array<{ id?: unknown }>;
  const problems: ProblemList = [];
  for (const [i, entry] of entries.entries()) {
    if (entry.chainId !== ctx.chainId || entry.statusRegistry !== getAddress(ctx.statusRegistry)) {
      return [{ code: 'status_invalid', message: 'the status entry names another chain or status registry than this verifier trusts' }];
    }
    // The list owner is the issuer: an entry naming another owner's list would let one agency's credential
    // borrow another's status.
    const expectedId = `eip155:${ctx.chainId}:${entry.statusRegistry}/${issuer}/${entry.listId}#${entry.index}`;
    if (typeof raw[i]?.id !== 'string' || (raw[i].id as string).toLowerCase() !== expectedId.toLowerCase()) {
      return [{ code: 'status_invalid', message: "the status entry does not point into the issuer's own list" }];
    }
    const purpose = ctx.status.purposeOf(issuer, entry.listId);
    if (purpose === undefined) {
      problems.push({ code: 'status_unknown', message: `the ${entry.purpose} list is not known to the status mirror` });
      continue;
    }
    if (PURPOSE_NAMES[purpose] !== entry.purpose) {
      return [{ code: 'status_invalid', message: `the ${entry.purpose} entry points to a list of another purpose` }];
    }
    const status = ctx.status.lookup(issuer, entry.listId, entry.index);
    if (status === 'revoked') problems.push({ code: 'credential_revoked', message: 'the issuer revoked the credential' });
    else if (status === 'suspended') problems.push({ code: 'credential_suspended', message: 'the issuer suspended the credential' });
    else if (status === 'superseded') problems.push({ code: 'credential_superseded', message: 'the title was transferred: a newer certificate supersedes this one' });
    else if (status === 'encumbered') flags.encumbered = true;
    else if (status === 'unknown') problems.push({ code: 'status_unknown', message: 'the status mirror cannot vouch for this list right now' });
  }
  return problems;
}

/** The accreditation check of any format: the issuer accredited for the type at issuance (`notBefore`). */
export function accreditationProblems(view: Pick<CredentialPayloadView, 'typeName' | 'notBefore'>, issuer: string, ctx: VerificationContext): ProblemList {
  const answer = ctx.trust.accreditationAt(issuer, view.typeName, view.notBefore);
  switch (answer) {
    case 'accredited':
      return [];
    case 'never':
      return [{ code: 'issuer_not_accredited', message: 'the issuer is not accredited on the trust registry' }];
    case 'other_types_only':
      return [{ code: 'issuer_not_accredited_for_type', message: `the issuer is not accredited for ${view.typeName}` }];
    case 'not_in_force':
      return [{ code: 'accreditation_not_in_force', message: `the issuer's accreditation for ${view.typeName} did not cover the issuance time` }];
    default:
      return [{ code: 'accreditation_unknown', message: 'the trust mirror cannot vouch for accreditation right now' }];
  }
}
