import { AbiCoder, Contract, keccak256, type ContractRunner, type TransactionReceipt } from 'ethers';
import { OPEN_ENDED, credentialTypeHash } from './trust-registry.js';
import { encodeClaimPath, type ClaimPath } from './claim-path.js';
import { VERIFIER_CONTENT_TYPES, VERIFIER_REGISTRY_ABI } from './verifier-abi.js';

/** A text in both languages of the system. */
export interface BilingualText {
  'zh-CN': string;
  en: string;
}

/** What a verifier may ask of one credential type. */
export interface VerifierScopeEntry {
  /** Credential type name, e.g. `EducationCredential`. */
  type: string;
  /** Claim paths it may request; `[[]]` allows the whole credential, `[]` only the type itself. */
  claims: ClaimPath[];
}

/** What governance registers for a verifier. */
export interface VerifierRegistrationInput {
  name: BilingualText;
  /** Why it asks, shown to the citizen before consent. */
  purpose: BilingualText;
  credentials: VerifierScopeEntry[];
  /** Start, Unix seconds or a Date; the contract starts it at the recording block's time at the earliest. @default now */
  validFrom?: Date | number | bigint;
  /** End, exclusive. @default open-ended */
  validUntil?: Date | number | bigint;
}

/** One registration as the contract stores it. */
export interface StoredVerifierRegistration {
  validFrom: bigint;
  validUntil: bigint;
  withdrawn: boolean;
  contentHash: string;
}

/** The scope argument of `register`, in the contract's encoding. */
export type ScopeArgument = Array<{ credentialType: string; claimPaths: string[] }>;
/** The texts argument of `register`, in the contract's encoding. */
export interface TextsArgument {
  nameZh: string;
  nameEn: string;
  purposeZh: string;
  purposeEn: string;
}

/** The contract's content hash of a registration: `keccak256(abi.encode(scope, texts))`. */
export function verifierContentHash(scope: ScopeArgument, texts: TextsArgument): string {
  const encoded = AbiCoder.defaultAbiCoder().encode(
    [...VERIFIER_CONTENT_TYPES],
    [scope.map((s) => [s.credentialType, [...s.claimPaths]]), [texts.nameZh, texts.nameEn, texts.purposeZh, texts.purposeEn]],
  );
  return keccak256(encoded);
}

/** A registration input in the contract's encoding. @throws TypeError on a malformed claim path */
export function registrationArguments(input: Pick<VerifierRegistrationInput, 'name' | 'purpose' | 'credentials'>): {
  scope: ScopeArgument;
  texts: TextsArgument;
} {
  return {
    scope: input.credentials.map((c) => ({ credentialType: credentialTypeHash(c.type), claimPaths: c.claims.map(encodeClaimPath) })),
    texts: { nameZh: input.name['zh-CN'], nameEn: input.name.en, purposeZh: input.purpose['zh-CN'], purposeEn: input.purpose.en },
  };
}

function toSeconds(at: Date | number | bigint): bigint {
  if (typeof at === 'bigint') return at;
  if (at instanceof Date) return BigInt(Math.floor(at.getTime() / 1000));
  return BigInt(Math.floor(at));
}

/**
 * Reads (and, with the TrustRegistry's governance signer, writes) the VerifierRegistry: which verifier identity may
 * ask which claims of which credential types, why, and when. Questions asked per verification belong to a
 * {@link VerifierMirror}, which asks the chain nothing.
 */
export class VerifierRegistryClient {
  readonly contract: Contract;

  /**
   * @param address VerifierRegistry address.
   * @param runner A provider to read; the governance signer to register or withdraw.
   */
  constructor(address: string, runner: ContractRunner) {
    this.contract = new Contract(address, VERIFIER_REGISTRY_ABI, runner);
  }

  /** Registers (or re-registers, ending the earlier registration where this one starts) `verifier` (governance only). */
  async register(verifier: string, input: VerifierRegistrationInput): Promise<TransactionReceipt> {
    const { scope, texts } = registrationArguments(input);
    const tx = await this.contract.getFunction('register')(
      verifier,
      toSeconds(input.validFrom ?? 0),
      toSeconds(input.validUntil ?? OPEN_ENDED),
      scope,
      texts,
    );
    return (await tx.wait())!;
  }

  /** Ends `verifier`'s current and future registrations now (governance only). */
  async withdraw(verifier: string): Promise<TransactionReceipt> {
    const tx = await this.contract.getFunction('withdraw')(verifier);
    return (await tx.wait())!;
  }

  /** Whether `verifier` has a registration in force at `at` (an RPC per question: for tools and tests). */
  async isRegistered(verifier: string, at: Date | number | bigint): Promise<boolean> {
    const [inForce] = (await this.contract.getFunction('registrationAt')(verifier, toSeconds(at))) as [boolean, bigint, string];
    return inForce;
  }

  /** Every registration of `verifier`, superseded and withdrawn ones included. */
  async registrations(verifier: string, blockTag?: number): Promise<StoredVerifierRegistration[]> {
    const rows = (await this.contract.getFunction('registrations')(verifier, blockTag === undefined ? {} : { blockTag })) as Array<
      [bigint, bigint, boolean, string]
    >;
    return rows.map(([validFrom, validUntil, withdrawn, contentHash]) => ({ validFrom, validUntil, withdrawn, contentHash }));
  }
}
