import { getAddress } from 'ethers';

/**
 * Printable certificate numbers: `GC-XXXXX-XXXXX-XXXXX-CC`, 15 Crockford base32 characters of payload and two
 * check characters. The payload says where the credential's status lives, so a notary or a clerk holding only
 * the paper checks it against the chain:
 *
 * | bits | field |
 * |---|---|
 * | 1 | format version (0) |
 * | 40 | the issuer identity's address prefix (collision odds for 1,000 agencies: ~5·10⁻⁷) |
 * | 5 | the credential type's catalog code |
 * | 5 | the revocation list id (the credential's other lists follow it: +1 suspension, +2 superseded, +3 encumbered) |
 * | 24 | the index in those lists |
 *
 * Check characters: an ISO 7064-style pure system with the prime modulus 1021 over radix 32 (as ISO 7064
 * MOD 1271-36 does over radix 36): the two characters make the whole number, read as a base-32 integer, ≡ 0
 * (mod 1021). A single substitution changes it by d·32^k and an adjacent transposition by (a−b)·31·32^k, neither
 * of which 1021 divides, so every single-character error and every adjacent swap is caught, check characters
 * included. Crockford's alphabet has no I, L, O or U; reading I/L as 1 and O as 0 absorbs the usual misreadings.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MODULUS = 1021n;
const PAYLOAD_CHARS = 15;
const PREFIX = 'GC';
const AGENCY_BITS = 40n;

/** What a certificate number encodes. */
export interface CertificateFields {
  /** Top 40 bits of the issuer identity's address. */
  agencyPrefix: bigint;
  /** Catalog code of the credential type (1–31). */
  typeCode: number;
  /** Revocation list id of the credential (1–31): its other lists are the next three ids. */
  listGroup: number;
  /** Index in the lists (0 to 2^24 − 1). */
  index: number;
}

/** Why a text is not a certificate number. */
export type CertificateNumberProblem = 'malformed' | 'check_failed';

/** The top 40 bits of an address: what a certificate number keeps of its issuer. */
export function agencyPrefixOf(address: string): bigint {
  let prefix = prefixes.get(address);
  if (prefix === undefined) {
    prefix = BigInt(getAddress(address)) >> (160n - AGENCY_BITS);
    // An issuer numbers every credential with its one address: keep the checksum work (keccak) to once each.
    if (prefixes.size >= 1024) prefixes.clear();
    prefixes.set(address, prefix);
  }
  return prefix;
}
const prefixes = new Map<string, bigint>();

/**
 * The certificate number of a credential.
 * @throws RangeError when a field does not fit (caller misuse: type codes and list ids are small by design).
 */
export function certificateNumber(input: { identity: string; typeCode: number; listGroup: number; index: number }): string {
  const { typeCode, listGroup, index } = input;
  if (!Number.isInteger(typeCode) || typeCode < 1 || typeCode > 31) throw new RangeError('typeCode must be 1..31');
  if (!Number.isInteger(listGroup) || listGroup < 1 || listGroup > 31) throw new RangeError('listGroup must be 1..31');
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** 24) throw new RangeError('index must be below 2^24');
  const payload = (((agencyPrefixOf(input.identity) << 5n) | BigInt(typeCode)) << 29n) | (BigInt(listGroup) << 24n) | BigInt(index);
  const check = (MODULUS - ((payload * 1024n) % MODULUS)) % MODULUS;
  const text = encode(payload, PAYLOAD_CHARS) + encode(check, 2);
  return `${PREFIX}-${text.slice(0, 5)}-${text.slice(5, 10)}-${text.slice(10, 15)}-${text.slice(15)}`;
}

/**
 * Reads a certificate number typed by a person: case, spaces and hyphens do not matter, I/L read as 1 and O
 * as 0. Never throws.
 */
export function parseCertificateNumber(text: unknown): { ok: true; fields: CertificateFields; canonical: string } | { ok: false; problem: CertificateNumberProblem } {
  if (typeof text !== 'string' || text.length > 64) return { ok: false, problem: 'malformed' };
  const compact = text.toUpperCase().replace(/[\s-]/g, '');
  if (!compact.startsWith(PREFIX)) return { ok: false, problem: 'malformed' };
  const body = compact.slice(PREFIX.length).replace(/[IL]/g, '1').replace(/O/g, '0');
  if (body.length !== PAYLOAD_CHARS + 2) return { ok: false, problem: 'malformed' };
  let whole = 0n;
  for (const char of body) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return { ok: false, problem: 'malformed' };
    whole = whole * 32n + BigInt(digit);
  }
  const check = whole & 1023n;
  if (check >= MODULUS || whole % MODULUS !== 0n) return { ok: false, problem: 'check_failed' };
  const payload = whole >> 10n;
  if (payload >> 74n !== 0n) return { ok: false, problem: 'malformed' }; // an unknown format version
  const fields: CertificateFields = {
    agencyPrefix: payload >> 34n,
    typeCode: Number((payload >> 29n) & 31n),
    listGroup: Number((payload >> 24n) & 31n),
    index: Number(payload & 0xffffffn),
  };
  if (fields.typeCode === 0 || fields.listGroup === 0) return { ok: false, problem: 'malformed' };
  const canonical = `${PREFIX}-${body.slice(0, 5)}-${body.slice(5, 10)}-${body.slice(10, 15)}-${body.slice(15)}`;
  return { ok: true, fields, canonical };
}

function encode(value: bigint, chars: number): string {
  let out = '';
  for (let i = 0; i < chars; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}
