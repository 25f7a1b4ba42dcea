import { getCredentialType } from '../catalog/index.js';
import { PURPOSE_NAMES } from '../status/status-codec.js';
import { parseStatusEntries } from '../status/status-entry.js';
import type { CredentialView } from '../formats/types.js';
import type { ProblemCode } from './problem-codes.js';
import type { VerificationContext } from './types.js';
import { checksummedAddress } from '../chain/address.js';

/**
 * The checks that do not depend on the format, written once over a {@link CredentialView}: validity period,
 * schema of what was disclosed, status from the chain mirror, accreditation at issuance. For a JWT VC they
 * say exactly what they said when they were written over its payload.
 */

type ProblemList = Array<{ code: ProblemCode; message: string; path?: string }>;

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** A place inside the credential at `path` (`''`: the credential itself). */
const at = (path: string, inner: string) => (inner ? `${path}.${inner}` : path);

export function validityProblems(view: CredentialView, ctx: VerificationContext): ProblemList {
  const now = Math.floor(ctx.now().getTime() / 1000);
  const problems: ProblemList = [];
  // Valid from the later of issuance and the stated start: an SD-JWT VC issued "in the future" is not valid yet.
  const from = Math.max(view.issuedAt, view.validFrom ?? view.issuedAt);
  if (from > now + ctx.clockSkewSeconds) {
    problems.push({ code: 'credential_not_yet_valid', message: `the credential is valid from ${iso(from)}` });
  }
  if (view.validUntil !== undefined && view.validUntil <= now - ctx.clockSkewSeconds) {
    problems.push({ code: 'credential_expired', message: `the credential expired at ${iso(view.validUntil)}` });
  }
  return problems;
}

/** Derived claims (`age_over_18`, `region`…) are issued beside the type's own and are not in its schema. */
function withoutDerived(type: string, claims: Record<string, unknown>): Record<string, unknown> {
  const derived = new Set((getCredentialType(type)?.derivations ?? []).flatMap((d) => d.claims));
  return Object.fromEntries(Object.entries(claims).filter(([name]) => !derived.has(name)));
}

export function schemaProblems(view: CredentialView, ctx: VerificationContext, path: string): ProblemList {
  let type: string | undefined;
  try {
    type = ctx.catalog.typeOfSchema(view.schema);
  } catch {
    type = undefined;
  }
  const schemaAt = at(path, view.schemaPath);
  if (type === undefined) {
    return [{ code: 'schema_unknown', message: `${view.schemaPath} does not name a schema (id and digest) of the catalog`, path: schemaAt }];
  }
  if (type !== view.type) {
    return [{ code: 'schema_unknown', message: `${view.schemaPath} is the schema of ${type}, not of ${view.type}`, path: schemaAt }];
  }
  const outcome = ctx.catalog.validateClaims(type, view.selective ? withoutDerived(type, view.claims) : view.claims);
  if (outcome.ok) return [];
  // With selective disclosure a required claim the holder did not disclose is not a fault of the credential.
  const errors = view.selective ? outcome.errors.filter((e) => e.code !== 'claim_missing') : outcome.errors;
  // Claim names come from the credential: a path or message naming a 10 KB key is cut, not echoed whole.
  const cut = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);
  return errors.slice(0, 20).map((e) => ({
    code: 'claims_invalid' as const,
    message: cut(e.message),
    path: cut(`${at(path, view.claimsPath)}${e.path.startsWith('/') ? e.path.replaceAll('/', '.') : e.path ? `.${e.path}` : ''}`),
  }));
}

/** What the status check found that is not a problem but the relying party must see (a mortgage). */
export interface StatusFlags {
  encumbered?: boolean;
}

/** The purpose sets a credential may carry: every credential, and property titles (issued since title chains). */
const PURPOSE_SETS = ['revocation,suspension', 'encumbered,revocation,superseded,suspension'];

export function statusProblems(view: CredentialView, ctx: VerificationContext, flags: StatusFlags): ProblemList {
  const issuer = view.issuerAddress;
  const parsed = parseStatusEntries(view.statusEntries);
  if ('error' in parsed) return [{ code: 'status_invalid', message: parsed.error }];
  const { entries } = parsed;
  if (!PURPOSE_SETS.includes(entries.map((e) => e.purpose).sort().join(','))) {
    return [{ code: 'status_invalid', message: 'a credential carries one revocation and one suspension entry (a property title also one superseded and one encumbered entry)' }];
  }
  const raw = (Array.isArray(view.statusEntries) ? view.statusEntries : []) as Array<{ id?: unknown }>;
  const problems: ProblemList = [];
  for (const [i, entry] of entries.entries()) {
    if (entry.chainId !== ctx.chainId || entry.statusRegistry !== checksummedAddress(ctx.statusRegistry)) {
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

export function accreditationProblems(view: CredentialView, ctx: VerificationContext): ProblemList {
  const answer = ctx.trust.accreditationAt(view.issuerAddress, view.type, view.issuedAt);
  switch (answer) {
    case 'accredited':
      return [];
    case 'never':
      return [{ code: 'issuer_not_accredited', message: 'the issuer is not accredited on the trust registry' }];
    case 'other_types_only':
      return [{ code: 'issuer_not_accredited_for_type', message: `the issuer is not accredited for ${view.type}` }];
    case 'not_in_force':
      return [{ code: 'accreditation_not_in_force', message: `the issuer's accreditation for ${view.type} did not cover the issuance time` }];
    default:
      return [{ code: 'accreditation_unknown', message: 'the trust mirror cannot vouch for accreditation right now' }];
  }
}
