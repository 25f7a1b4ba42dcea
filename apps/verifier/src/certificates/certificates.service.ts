import { Inject, Injectable } from '@nestjs/common';
import {
  GovcredError,
  PURPOSE_NAMES,
  StatusPurpose,
  agencyPrefixOf,
  ethrDid,
  listCredentialTypes,
  parseCertificateNumber,
  type AccreditationAnswer,
  type EntryStatus,
} from '../../../../libs/credentials/src/index.js';
import { ChainState } from '../chain/chain-state.js';
import { VERIFIER_CLOCK } from '../challenges/challenges.service.js';

/** What a printed certificate's number says, from the chain alone. */
export type CertificateState = 'valid' | 'revoked' | 'suspended' | 'superseded' | 'encumbered' | 'unknown';

/** The answer of `GET /certificates/:number`: never personal data (no subject, no claims, no owners). */
export interface CertificateAnswer {
  /** The number as canonically printed. */
  certificateNumber: string;
  state: CertificateState;
  /** The issuing agency, when exactly one issuer identity on chain has the number's address prefix. */
  agency: { did: string } | null;
  /** The credential type the number names (its catalog code). */
  type: string | null;
  /** The agency's accreditation for that type now, per the trust registry. */
  accreditation: AccreditationAnswer | null;
  /** Property titles: the transfers of the title this certificate belongs to, oldest first (dates and agencies). */
  titleHistory?: Array<{ transferredAt: string; agency: string }>;
}

/** Which state wins when several lists say something: the final ones first, the mortgage last. */
const PRECEDENCE: EntryStatus[] = ['unknown', 'revoked', 'superseded', 'suspended', 'encumbered'];

/**
 * Checks printed certificate numbers (see libs/credentials certificates/) against the verifier's mirrors: the
 * number names the agency (an address prefix), the type, the lists and the index; the status mirror, the trust
 * mirror and the title mirror answer from memory. No call to the issuer, none to the chain per question.
 */
@Injectable()
export class CertificatesService {
  constructor(
    private readonly chain: ChainState,
    @Inject(VERIFIER_CLOCK) private readonly now: () => Date,
  ) {}

  /** @throws GovcredError certificate_number_invalid (malformed, or a typo caught by the check characters) */
  lookup(text: string): CertificateAnswer {
    const parsed = parseCertificateNumber(text);
    if (!parsed.ok) {
      throw new GovcredError(
        'certificate_number_invalid',
        parsed.problem === 'check_failed' ? 'the check characters do not match: a character is mistyped' : 'this is not a certificate number (GC-XXXXX-XXXXX-XXXXX-XX)',
      );
    }
    const { fields, canonical } = parsed;
    const definition = listCredentialTypes().find((t) => t.certificateCode === fields.typeCode);
    const owners = this.chain.statusMirror.identities().filter((a) => agencyPrefixOf(a) === fields.agencyPrefix);
    const answer: CertificateAnswer = { certificateNumber: canonical, state: 'unknown', agency: null, type: definition?.type ?? null, accreditation: null };
    // No owner, or (odds ~10⁻⁶) two with the same prefix: nothing is vouched for.
    if (owners.length !== 1 || !definition) return answer;
    const identity = owners[0];
    const chainId = this.chain.config.CHAIN_ID;
    answer.agency = { did: ethrDid(chainId, identity) };
    answer.accreditation = this.chain.trustMirror.accreditationAt(identity, definition.type, Math.floor(this.now().getTime() / 1000));

    const purposes = [StatusPurpose.Revocation, StatusPurpose.Suspension, ...(definition.titleChain ? [StatusPurpose.Superseded, StatusPurpose.Encumbered] : [])];
    const statuses = purposes.map((purpose, i) => {
      const listId = fields.listGroup + i;
      // The number's lists must be the agency's lists of these purposes, or the number is not one it printed.
      if (this.chain.statusMirror.purposeOf(identity, listId) !== purpose) return 'unknown';
      return this.chain.statusMirror.lookup(identity, listId, fields.index);
    });
    answer.state = (PRECEDENCE.find((s) => statuses.includes(s)) ?? 'valid') as CertificateState;
    if (definition.titleChain) {
      // Left out when the title mirror cannot vouch for its copy; the state comes from the status lists anyway.
      const history = this.chain.titleMirror.historyOf(identity, fields.index);
      if (history.known) answer.titleHistory = history.transfers.map((t) => ({ transferredAt: new Date(t.time * 1000).toISOString(), agency: ethrDid(chainId, t.identity) }));
    }
    return answer;
  }
}

/** Purpose names of the lists a certificate number names, for the API description. */
export const CERTIFICATE_LISTS = [StatusPurpose.Revocation, StatusPurpose.Suspension, StatusPurpose.Superseded, StatusPurpose.Encumbered].map((p) => PURPOSE_NAMES[p]);
