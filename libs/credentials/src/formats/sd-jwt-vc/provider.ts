import { ethrDidAddress } from '../../did/resolver.js';
import type { Problem, VerificationContext } from '../../verification/types.js';
import type { CredentialFormatProvider, FormatOutcome, FormatProblem, HolderExpectation } from '../types.js';
import { SCHEMA_CLAIM, SD_JWT_VC_TYP, STATUS_MEMBER } from './constants.js';
import { keyRevocationProblem } from '../../verification/key-revocation.js';
import { IssuerKeyFailure, issuerKeyAtIssuance } from './issuer-key.js';
import type { IssuerKey } from './keys.js';
import { issueSdJwtVcCredential, presentSdJwtVcCredential } from './sign.js';
import { verifySdJwtVc } from './verify.js';
import { checksummedAddress } from '../../chain/address.js';

/** How old a Key Binding JWT may be when the context does not say. @default 300 */
const DEFAULT_KB_MAX_AGE_SECONDS = 300;

type SharedCheck = 'validity_period' | 'schema' | 'status';

/**
 * Codes of {@link verifySdJwtVc} that belong to the shared checks. With a view they are dropped here and
 * found again by the pipeline over the view, so both formats answer them with the same words.
 */
const SHARED: Readonly<Record<string, SharedCheck>> = {
  credential_expired: 'validity_period',
  credential_not_yet_valid: 'validity_period',
  schema_unknown: 'schema',
  status_invalid: 'status',
};
const SIGNATURE = new Set(['sd_jwt_signature_invalid', 'did_unresolvable', 'did_invalid', 'issuer_key_revoked']);

/** Which check a problem of {@link verifySdJwtVc} is about. */
function checkOf(problem: Problem): 'format' | 'signature' | 'holderBinding' | SharedCheck {
  if (SIGNATURE.has(problem.code)) return 'signature';
  if (problem.path === 'kb_jwt' || problem.code.startsWith('kb_jwt_') || problem.code === 'cnf_missing' || problem.code === 'cnf_invalid') return 'holderBinding';
  return SHARED[problem.code] ?? 'format';
}

/**
 * `dc+sd-jwt`: an SD-JWT VC (RFC 9901 + draft-ietf-oauth-sd-jwt-vc) checked by {@link verifySdJwtVc} (issuer
 * signature, disclosures, cnf, Key Binding JWT), with the issuer key resolved from the chain at `iat`. Holder
 * binding is the KB-JWT: signed by `cnf.jwk`, `nonce` = the challenge, `aud` = the domain, a fresh `iat`.
 */
export const sdJwtVcProvider: CredentialFormatProvider = {
  format: SD_JWT_VC_TYP,
  issue: issueSdJwtVcCredential,
  present: presentSdJwtVcCredential,

  // RFC 9901 §4: the compact form always has a `~` after the issuer-signed JWT; a JWS never does.
  detect: (input: unknown) => typeof input === 'string' && input.includes('~'),

  async check(input: unknown, ctx: VerificationContext, holder: HolderExpectation): Promise<FormatOutcome> {
    // Whether the library reached the issuer signature (it checks it before reading any claim), and why the key
    // could not be resolved when it could not: the library reports every resolver failure as `did_unresolvable`.
    let reached = false;
    let failure: IssuerKeyFailure['code'] | undefined;
    let usedKey: IssuerKey | undefined;
    let usedRef: { iss: string; kid: string } | undefined;
    const at: { block?: number } = {};
    const result = await verifySdJwtVc(input, {
      resolveIssuerKey: async (ref) => {
        reached = true;
        usedRef = ref;
        try {
          return (usedKey = await issuerKeyAtIssuance(ctx, ref, at));
        } catch (error) {
          failure = error instanceof IssuerKeyFailure ? error.code : 'did_unresolvable';
          throw error;
        }
      },
      ...(holder.keyBinding ? { expectedNonce: holder.keyBinding.nonce, expectedAudience: holder.keyBinding.audience } : {}),
      requireKeyBinding: holder.keyBinding !== undefined,
      now: ctx.now(),
      clockSkewSeconds: ctx.clockSkewSeconds,
      maxKbAgeSeconds: ctx.keyBindingMaxAgeSeconds ?? DEFAULT_KB_MAX_AGE_SECONDS,
    });

    const grouped: Record<ReturnType<typeof checkOf>, FormatProblem[]> = { format: [], signature: [], holderBinding: [], validity_period: [], schema: [], status: [] };
    for (const problem of result.problems) {
      const code = problem.code === 'did_unresolvable' && failure ? failure : problem.code;
      // Paths into the payload start at `$`: named `payload` so they stay plain structural paths.
      const fixed: Problem = { code, message: code === problem.code ? problem.message : messageOf(failure!), path: problem.path.replace(/^\$/, 'payload') };
      grouped[checkOf(fixed)].push({ code: fixed.code, message: fixed.message, ...(fixed.path ? { path: fixed.path } : {}) });
    }
    // The key verified the signature: a revocation on chain since fails it all the same (retroactive).
    if (reached && !failure && grouped.signature.length === 0 && usedRef && at.block !== undefined) {
      const revoked = await keyRevocationProblem(ctx, usedRef.iss, usedRef.kid, at.block);
      if (revoked) grouped.signature.push({ ...revoked, path: 'header.kid' });
    }
    const view = result.view;
    if (reached && !failure && grouped.signature.length === 0 && usedKey && 'ethereumAddress' in usedKey && typeof input === 'string') {
      ctx.signatures?.learnAddress(input.slice(0, input.indexOf('~')), usedKey.ethereumAddress);
    }
    const outcome: FormatOutcome = { format: grouped.format };
    if (reached && failure !== 'sd_jwt_malformed') outcome.signature = grouped.signature;
    if (holder.keyBinding || grouped.holderBinding.length > 0) outcome.holderBinding = grouped.holderBinding;
    const issuerAddress = view ? ethrDidAddress(view.issuer, ctx.chainId) : undefined;
    if (!view || !view.type || !issuerAddress || grouped.format.length > 0 || grouped.signature.length > 0) {
      outcome.shared = { validity_period: grouped.validity_period, schema: grouped.schema, status: grouped.status };
      return outcome;
    }
    const seconds = (iso: string | undefined) => (iso === undefined ? undefined : Math.floor(Date.parse(iso) / 1000));
    const issuedAt = seconds(view.issuedAt)!;
    const validFrom = seconds(view.validFrom);
    const validUntil = seconds(view.validUntil);
    outcome.view = {
      format: SD_JWT_VC_TYP,
      issuer: view.issuer,
      issuerAddress: checksummedAddress(issuerAddress),
      type: view.type,
      issuedAt,
      ...(validFrom !== undefined ? { validFrom } : {}),
      ...(validUntil !== undefined ? { validUntil } : {}),
      statusEntries: view.statusEntries,
      schema: view.schema,
      schemaPath: SCHEMA_CLAIM,
      claimsPath: '',
      claims: view.claims,
      selective: true,
      summary: {
        path: '',
        format: SD_JWT_VC_TYP,
        type: view.type,
        vct: view.vct,
        issuer: view.issuer,
        holderKey: view.holderKey,
        issuanceDate: view.issuedAt,
        ...(view.validUntil ? { expirationDate: view.validUntil } : {}),
        claims: view.claims,
      },
    };
    return outcome;
  },
};

function messageOf(code: IssuerKeyFailure['code']): string {
  if (code === 'did_invalid') return 'the issuer DID is broken';
  if (code === 'sd_jwt_malformed') return 'iat is not a time in seconds';
  return 'the issuer DID could not be resolved on this chain';
}

/** Where an SD-JWT VC keeps its status entries, for messages and docs. */
export const SD_JWT_STATUS_PATH = `status.${STATUS_MEMBER}`;
