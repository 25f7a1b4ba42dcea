import { Contract, id, type ContractRunner, type TransactionReceipt } from 'ethers';
import { TRUST_REGISTRY_ABI } from '../chain/abi.js';

/** `validUntil` of an accreditation without an end. */
export const OPEN_ENDED = 2n ** 64n - 1n;

// Asked once per credential verified (accreditation, registrations) for a handful of type names; keccak is pure JS.
const TYPE_HASHES = new Map<string, string>();

/** The TrustRegistry key of a credential type: keccak256 of its name, e.g. `NationalIdCredential` (memoised, bounded). */
export function credentialTypeHash(typeName: string): string {
  let hash = TYPE_HASHES.get(typeName);
  if (hash === undefined) {
    hash = id(typeName);
    // Names come from presented credentials too: only short ones are kept, and at most a thousand.
    if (typeName.length <= 100) {
      if (TYPE_HASHES.size >= 1000) TYPE_HASHES.clear();
      TYPE_HASHES.set(typeName, hash);
    }
  }
  return hash;
}

/** One accreditation period, in Unix seconds: [validFrom, validUntil). */
export interface AccreditationPeriod {
  validFrom: bigint;
  validUntil: bigint;
}

function toSeconds(at: Date | number | bigint): bigint {
  if (typeof at === 'bigint') return at;
  if (at instanceof Date) return BigInt(Math.floor(at.getTime() / 1000));
  return BigInt(Math.floor(at));
}

/**
 * Reads (and, with a governance signer, writes) the TrustRegistry: which issuer identity is accredited for
 * which credential type, and when.
 */
export class TrustRegistryClient {
  readonly contract: Contract;

  /**
   * @param address TrustRegistry address.
   * @param runner A provider to read; a governance signer to accredit or withdraw.
   */
  constructor(address: string, runner: ContractRunner) {
    this.contract = new Contract(address, TRUST_REGISTRY_ABI, runner);
  }

  /**
   * Whether `issuer` was accredited for `typeName` at `at`.
   * @param issuer Issuer identity address (the did:ethr address, not its current key).
   * @param at A Date, or Unix seconds.
   */
  async isAccredited(issuer: string, typeName: string, at: Date | number | bigint): Promise<boolean> {
    return (await this.contract.getFunction('isAccredited')(issuer, credentialTypeHash(typeName), toSeconds(at))) as boolean;
  }

  /** Every period of `issuer` for `typeName`, withdrawn ones included. */
  async accreditations(issuer: string, typeName: string): Promise<AccreditationPeriod[]> {
    const periods = (await this.contract.getFunction('accreditations')(issuer, credentialTypeHash(typeName))) as Array<
      [bigint, bigint]
    >;
    return periods.map(([validFrom, validUntil]) => ({ validFrom, validUntil }));
  }

  /** Accredits `issuer` for `typeName` (governance only). `validUntil` defaults to open-ended. */
  async accredit(
    issuer: string,
    typeName: string,
    validFrom: Date | number | bigint,
    validUntil: Date | number | bigint = OPEN_ENDED,
  ): Promise<TransactionReceipt> {
    const tx = await this.contract.getFunction('accredit')(
      issuer,
      credentialTypeHash(typeName),
      toSeconds(validFrom),
      toSeconds(validUntil),
    );
    return (await tx.wait())!;
  }

  /** Ends `issuer`'s current and future accreditation for `typeName` now (governance only). */
  async withdraw(issuer: string, typeName: string): Promise<TransactionReceipt> {
    const tx = await this.contract.getFunction('withdraw')(issuer, credentialTypeHash(typeName));
    return (await tx.wait())!;
  }
}
