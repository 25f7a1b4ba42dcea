import type { ProblemCode } from './problem-codes.js';
import type { VerificationContext } from './types.js';

/**
 * The problem, if any, with the issuer key that verified a credential's signature: revoked on chain
 * (`issuer_key_revoked`, retroactive: issue 15 §2, a stolen key back-dating credentials), or not vouched for
 * right now (`did_unresolvable`, worth retrying). `methodId` is the verification method of the issuer's document
 * at `block` (the block of issuance) whose key verified the signature.
 */
export async function keyRevocationProblem(
  ctx: VerificationContext,
  issuer: string,
  methodId: string,
  block: number,
): Promise<{ code: ProblemCode; message: string } | undefined> {
  if (!ctx.keyRevocations) return undefined;
  let answer: 'revoked' | 'not_revoked' | 'unknown';
  try {
    answer = await ctx.keyRevocations.keyRevocation(issuer, methodId, block);
  } catch {
    answer = 'unknown';
  }
  if (answer === 'revoked') return { code: 'issuer_key_revoked', message: 'the issuer revoked the key that signed the credential' };
  if (answer === 'unknown') return { code: 'did_unresolvable', message: "the issuer's key revocations cannot be read right now" };
  return undefined;
}
