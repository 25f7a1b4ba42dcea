import { sameDid } from '../did/same-did.js';
import { providerFor } from '../formats/registry.js';
import type { CredentialFormatProvider, FormatProblem, HolderExpectation } from '../formats/types.js';
import { Recorder } from './recorder.js';
import { accreditationProblems, schemaProblems, statusProblems, validityProblems, type StatusFlags } from './shared-checks.js';
import type { CheckName, VerificationContext, VerificationResult, VerifiedCredentialSummary } from './types.js';

export { sameDid };

const LATER_CHECKS = ['validity_period', 'schema', 'status', 'accreditation'] as const;

/** Options of {@link checkCredential}. */
export interface CheckCredentialOptions {
  /** Where the credential sits in the input, e.g. `verifiableCredential[0]`. @default 'verifiableCredential' */
  path?: string;
  /** The presentation's holder DID: a JWT VC's subject must be it. Holder binding is skipped without it. */
  holder?: string;
  /** The challenge and domain an SD-JWT VC's Key Binding JWT must answer; without them no KB-JWT is required. */
  keyBinding?: { nonce: string; audience: string };
  /** The format to read the input as; found by the providers' `detect` when absent. */
  provider?: CredentialFormatProvider;
}

/**
 * Runs every credential check on one credential of any format, recording into `recorder`: the format's own
 * (shape, issuer signature with the key in force at issuance, holder binding), then the shared ones over the
 * view it read (validity, schema, status, accreditation). Returns what the credential says when its signature
 * held. Never throws on untrusted input.
 */
export async function checkCredential(
  input: unknown,
  ctx: VerificationContext,
  recorder: Recorder,
  options: CheckCredentialOptions = {},
): Promise<VerifiedCredentialSummary | undefined> {
  const path = options.path ?? 'verifiableCredential';
  const holder: HolderExpectation = {
    ...(options.holder !== undefined ? { did: options.holder } : {}),
    ...(options.keyBinding ? { keyBinding: options.keyBinding } : {}),
  };
  const provider = options.provider ?? providerFor(input);
  const outcome = await provider.check(input, ctx, holder);
  const placed = (problems: FormatProblem[]) => problems.map((p) => ({ code: p.code, message: p.message, ...(p.path ? { path: `${path}.${p.path}` } : {}) }));
  const expectsBinding = options.holder !== undefined || options.keyBinding !== undefined;

  recorder.outcome('credential_format', path, placed(outcome.format));
  const record = (check: CheckName, problems: FormatProblem[] | undefined, expected = true) => {
    if (problems !== undefined) recorder.outcome(check, path, placed(problems));
    else if (expected) recorder.skip(check, path);
  };
  record('credential_signature', outcome.signature);
  record('holder_binding', outcome.holderBinding, expectsBinding);
  const view = outcome.view;
  if (!view) {
    for (const check of LATER_CHECKS) record(check, outcome.shared?.[check]?.length ? outcome.shared[check] : undefined);
    return undefined;
  }

  recorder.outcome('validity_period', path, validityProblems(view, ctx));
  recorder.outcome('schema', path, schemaProblems(view, ctx, path));
  const flags: StatusFlags = {};
  recorder.outcome('status', path, statusProblems(view, ctx, flags));
  recorder.outcome('accreditation', path, accreditationProblems(view, ctx));
  return { ...view.summary, path, ...(flags.encumbered ? { encumbered: true as const } : {}) };
}

/**
 * Verifies one credential on its own (`POST /credentials/verify`), of any format: no holder binding (an SD-JWT
 * VC needs no Key Binding JWT here). Never throws.
 */
export async function verifyCredential(input: unknown, ctx: VerificationContext): Promise<VerificationResult> {
  const recorder = new Recorder();
  const summary = await checkCredential(input, ctx, recorder);
  return { verified: recorder.allPassed, checks: recorder.checks, problems: recorder.problems, credentials: summary ? [summary] : [] };
}
