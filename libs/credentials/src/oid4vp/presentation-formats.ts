import { createHash } from 'node:crypto';
import { parseEthrDid } from '../did/ethr-did.js';
import { verifySdJwtVc, type IssuerKey } from '../formats/sd-jwt-vc/index.js';
import type { DcqlFormat } from '../query/dcql.js';
import { pinnedResolver } from '../verification/jwt.js';
import type { ProblemCode } from '../verification/problem-codes.js';
import { Recorder } from '../verification/recorder.js';
import { accreditationProblems, statusProblems, type StatusFlags } from '../verification/verify-credential.js';
import { verifyPresentation } from '../verification/verify-presentation.js';
import type { CheckName, VerificationContext, VerificationResult } from '../verification/types.js';

/**
 * One function per credential format: (presentation, expected nonce, expected audience = client_id) → the
 * pipeline's result. Kept in this one file so it can give way to the pipeline's format providers when they land.
 */
export type PresentationFormatVerifier = (presentation: unknown, expected: { nonce: string; audience: string }, ctx: VerificationContext) => Promise<VerificationResult>;

/** `jwt_vc_json`: a VP-JWT (OID4VP 1.0 Appendix B.1.3.1): the VP `nonce` and `aud` are the request's. */
const jwtVcJson: PresentationFormatVerifier = (presentation, expected, ctx) =>
  verifyPresentation(presentation, { challenge: expected.nonce, domain: expected.audience }, ctx);

/** Which check an SD-JWT VC problem belongs to. */
function checkOf(code: ProblemCode, path: string): CheckName {
  if (code === 'kb_jwt_nonce_mismatch') return 'challenge';
  if (code === 'kb_jwt_audience_mismatch') return 'domain';
  if (code.startsWith('kb_jwt') || code.startsWith('cnf_') || path === 'kb_jwt') return 'holder_binding';
  if (code === 'sd_jwt_signature_invalid' || code === 'did_unresolvable' || code === 'did_invalid') return 'credential_signature';
  if (code === 'vct_unknown' || code === 'schema_unknown') return 'schema';
  if (code === 'credential_expired' || code === 'credential_not_yet_valid') return 'validity_period';
  if (code === 'status_invalid') return 'status';
  return 'credential_format';
}

/**
 * The issuer key an SD-JWT VC's `kid` names, in the issuer's did:ethr document as of the block in force at
 * `iat` (as for JWT VCs: a later key rotation neither breaks an honest credential nor lets a new key back-date one).
 */
function issuerKeys(ctx: VerificationContext) {
  return async ({ iss, kid, iat }: { iss: string; kid: string; iat: number }): Promise<IssuerKey | undefined> => {
    if (!parseEthrDid(iss, ctx.chainId).ok || !kid.startsWith(`${iss}#`)) return undefined;
    const block = await ctx.blocks.blockAt(iat);
    const { didDocument } = await pinnedResolver(ctx.resolver, iss, block).resolve(iss);
    const method = didDocument?.verificationMethod?.find((m) => m.id === kid);
    const address = method?.blockchainAccountId?.split(':').pop();
    return address ? { ethereumAddress: address } : undefined;
  };
}

const ORDER: CheckName[] = ['credential_format', 'credential_signature', 'holder_binding', 'challenge', 'domain', 'validity_period', 'schema', 'status', 'accreditation'];

/** `dc+sd-jwt` with a Key Binding JWT (OID4VP 1.0 Appendix B.3.6): nonce and aud of the KB-JWT are the request's. */
const dcSdJwt: PresentationFormatVerifier = async (presentation, expected, ctx) => {
  const path = 'vp_token';
  const outcome = await verifySdJwtVc(presentation, {
    resolveIssuerKey: issuerKeys(ctx),
    expectedNonce: expected.nonce,
    expectedAudience: expected.audience,
    now: ctx.now(),
    clockSkewSeconds: ctx.clockSkewSeconds,
  });
  const byCheck = new Map<CheckName, Array<{ code: ProblemCode; message: string; path: string }>>();
  for (const p of outcome.problems) {
    const check = checkOf(p.code, p.path);
    byCheck.set(check, [...(byCheck.get(check) ?? []), { ...p, path: p.path ? `${path}.${p.path}` : path }]);
  }
  const view = outcome.view;
  const issuer = view ? parseEthrDid(view.issuer, ctx.chainId) : undefined;
  const flags: StatusFlags = {};
  if (view && issuer?.ok) {
    const notBefore = Math.floor(new Date(view.issuedAt).getTime() / 1000);
    const status = statusProblems({ credentialStatus: view.statusEntries }, issuer.address, ctx, flags);
    const accreditation = view.type ? accreditationProblems({ typeName: view.type, notBefore }, issuer.address, ctx) : [];
    if (status.length > 0) byCheck.set('status', [...(byCheck.get('status') ?? []), ...status.map((p) => ({ ...p, path: p.path ?? path }))]);
    if (accreditation.length > 0) byCheck.set('accreditation', accreditation.map((p) => ({ ...p, path })));
  }
  const recorder = new Recorder();
  for (const check of ORDER) {
    const problems = byCheck.get(check) ?? [];
    // Without a view (forged signature, broken disclosures) nothing after the signature was judged.
    if (problems.length === 0 && !view && ORDER.indexOf(check) > 1) recorder.skip(check, path);
    else recorder.outcome(check, path, problems);
  }
  return {
    verified: recorder.allPassed,
    checks: recorder.checks,
    problems: recorder.problems,
    credentials:
      view && outcome.problems.every((p) => checkOf(p.code, p.path) !== 'credential_signature')
        ? [
            {
              path,
              type: view.type ?? view.vct,
              issuer: view.issuer,
              subject: `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${thumbprint(view.holderKey)}`,
              issuanceDate: view.issuedAt,
              ...(view.validUntil ? { expirationDate: view.validUntil } : {}),
              claims: view.claims,
              ...(flags.encumbered ? { encumbered: true as const } : {}),
            },
          ]
        : [],
  };
};

/** RFC 7638 thumbprint of an EC public key: the SD-JWT VC holder, as the result names it. */
function thumbprint(jwk: { crv: string; x: string; y: string }): string {
  return createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: 'EC', x: jwk.x, y: jwk.y })).digest('base64url');
}

/** The presentation verifier of each format a DCQL query may ask for. */
export const PRESENTATION_FORMAT_VERIFIERS: Record<DcqlFormat, PresentationFormatVerifier> = {
  jwt_vc_json: jwtVcJson,
  'dc+sd-jwt': dcSdJwt,
};
