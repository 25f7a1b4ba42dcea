import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { getAddress } from 'ethers';
import { DataSource } from 'typeorm';
import { GovcredError, StatusPurpose } from '../../../../libs/credentials/src/index.js';
import { AuditService } from '../audit/audit.service.js';
import { hashSecret, newApiKey } from '../auth/secrets.js';
import { getCredentialType } from '../catalog/catalog.js';
import { ChainService, type UnsignedTransaction } from '../chain/chain.service.js';
import { DbWriter } from '../database/db-writer.service.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { VeramoService } from '../veramo/veramo.service.js';
import { AgencySetupService } from './agency-setup.service.js';
import type { AgencyView, CreateAgencyDto } from './dto/create-agency.dto.js';
import { AgencyKey } from './entities/agency-key.entity.js';
import { Agency } from './entities/agency.entity.js';

/** List ids every agency uses in the StatusRegistry. */
export const REVOCATION_LIST_ID = 1;
export const SUSPENSION_LIST_ID = 2;
/** Property registries: the superseded (title transferred, final) and encumbered (mortgage) lists. */
export const SUPERSEDED_LIST_ID = 3;
export const ENCUMBERED_LIST_ID = 4;
const TITLE_LISTS: Array<[number, StatusPurpose]> = [
  [SUPERSEDED_LIST_ID, StatusPurpose.Superseded],
  [ENCUMBERED_LIST_ID, StatusPurpose.Encumbered],
];

/** Whether an agency issues a type that changes hands by transfer (a property registry). */
export function issuesTitles(credentialTypes: readonly string[]): boolean {
  return credentialTypes.some((type) => getCredentialType(type)?.titleChain === true);
}

/** What `POST /admin/agencies` answers: the agency, its API key (shown this once) and the accreditation. */
export interface CreatedAgency extends AgencyView {
  apiKey: string;
  accreditation: { submitted: boolean; transactions: Array<UnsignedTransaction & { hash?: string }> };
}

export function agencyView(a: Agency): AgencyView {
  return {
    id: a.id,
    did: a.did,
    nameZh: a.nameZh,
    nameEn: a.nameEn,
    credentialTypes: a.credentialTypes,
    identityAddress: a.identityAddress,
    ownerAddress: a.ownerAddress,
    keyAddress: a.keyAddress,
    signingKeyId: a.signingKid,
    writerAddress: a.writerAddress,
    statusLists: {
      revocation: a.revocationListId,
      suspension: a.suspensionListId,
      ...(a.supersededListId !== null && a.encumberedListId !== null ? { superseded: a.supersededListId, encumbered: a.encumberedListId } : {}),
    },
    createdAt: a.createdAt,
  };
}

/** What a key rotation answers. */
export interface RotatedKey {
  did: string;
  keyAddress: string;
  previousKeyAddress: string;
  txHash: string;
  /** Block time of the rotation: credentials issued from then on are signed with the new key. */
  keyActiveFrom: string;
}

/** Agencies: creation (identity, lists, accreditation), lookup, key rotation. */
@Injectable()
export class AgenciesService {
  /** Rotations in progress: issuance waits for them so no credential is signed by a key being replaced. */
  private readonly rotations = new Map<string, Promise<unknown>>();
  /** Previous signing keys being deleted (one deletion per key, whatever the concurrent signatures). */
  private readonly retiring = new Map<string, Promise<void>>();
  private readonly logger = new Logger('Agencies');

  constructor(
    private readonly dataSource: DataSource,
    private readonly db: DbWriter,
    private readonly veramo: VeramoService,
    private readonly chain: ChainService,
    private readonly audit: AuditService,
    private readonly setup: AgencySetupService,
    @Inject(ISSUER_CONFIG) private readonly config: IssuerConfig,
  ) {}

  /**
   * Creates an agency with split key roles (see {@link AgencySetupService}): its did:ethr identity owned by
   * `ownerAddress`, a signing key and a status writer in the KMS, its status lists on chain (four for a property
   * registry) and its accreditation for `credentialTypes`. The row is written once the chain steps worked.
   */
  async create(input: CreateAgencyDto): Promise<CreatedAgency> {
    for (const type of input.credentialTypes) {
      if (!getCredentialType(type)) throw new GovcredError('unknown_credential_type', `unknown credential type ${JSON.stringify(type)}`);
    }
    AgencySetupService.checkOwner(input.ownerAddress);
    const titles = issuesTitles(input.credentialTypes);
    const lists: Array<[number, StatusPurpose]> = [
      [REVOCATION_LIST_ID, StatusPurpose.Revocation],
      [SUSPENSION_LIST_ID, StatusPurpose.Suspension],
      ...(titles ? TITLE_LISTS : []),
    ];
    const identity = await this.setup.create(getAddress(input.ownerAddress), lists);
    let accreditation: CreatedAgency['accreditation'];
    try {
      accreditation = await this.chain.accredit(identity.identityAddress, input.credentialTypes);
    } catch (error) {
      throw this.chain.toError(error, 'accreditation');
    }
    const apiKey = newApiKey();
    const agency: Agency = {
      id: randomUUID(),
      nameZh: input.nameZh,
      nameEn: input.nameEn,
      did: identity.did,
      identityAddress: identity.identityAddress,
      ownerAddress: identity.ownerAddress,
      keyId: identity.signing.key.kid,
      keyAddress: identity.signing.address,
      signingKid: identity.signing.kid,
      previousKeyId: null,
      previousSigningKid: null,
      keyActiveFrom: identity.signing.activeFrom,
      signingHaltedAt: null,
      pendingKeyId: null,
      pendingKeyAddress: null,
      writerKeyId: identity.writer.key.kid,
      writerAddress: identity.writer.address,
      credentialTypes: input.credentialTypes,
      apiKeyHash: hashSecret(apiKey),
      revocationListId: REVOCATION_LIST_ID,
      suspensionListId: SUSPENSION_LIST_ID,
      supersededListId: titles ? SUPERSEDED_LIST_ID : null,
      encumberedListId: titles ? ENCUMBERED_LIST_ID : null,
      createdAt: new Date().toISOString(),
    };
    await this.db.write(async (m) => {
      await m.getRepository(Agency).insert(agency);
      await m.getRepository(AgencyKey).insert(identity.keys.map((k) => ({ ...k, agencyId: agency.id })));
      await this.audit.append(m, {
        actor: 'admin',
        agencyId: agency.id,
        action: 'agency.created',
        data: {
          did: agency.did,
          credentialTypes: agency.credentialTypes,
          accreditationSubmitted: accreditation.submitted,
          ownerAddress: agency.ownerAddress,
          signingKeyId: agency.signingKid,
          writerAddress: agency.writerAddress,
        },
      });
    });
    return { ...agencyView(agency), apiKey, accreditation };
  }

  list(): Promise<Agency[]> {
    return this.dataSource.getRepository(Agency).find({ order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<Agency> {
    const agency = /^[0-9a-f-]{36}$/.test(id) ? await this.dataSource.getRepository(Agency).findOneBy({ id }) : null;
    if (!agency) throw new GovcredError('agency_not_found', 'no such agency');
    return agency;
  }

  /**
   * The agency with `keyId` set to the key to sign with now: waits for a rotation in progress, and keeps the
   * previous key until the rotation's block time has been reached on this machine's clock, so every credential
   * verifies against the DID document as of its issuance time.
   * @param loaded The agency's row as this request already read it (the API key guard): used as is unless a
   *   rotation was in progress here, which saves a read per credential.
   */
  async signingKey(agencyId: string, loaded?: Agency): Promise<Agency> {
    const rotation = this.rotations.get(agencyId);
    if (rotation) await rotation.catch(() => undefined);
    let agency = loaded && !rotation && loaded.id === agencyId ? loaded : await this.get(agencyId);
    // A compromise was reported: the key may be in other hands, so not one more signature until the owner's
    // replacement is on chain (issue 15 §2), whatever the rotation state.
    if (agency.signingHaltedAt) throw new GovcredError('signing_key_compromised', "the agency's signing key was reported compromised: issuance resumes once the owner's replacement key is relayed");
    if (issuesTitles(agency.credentialTypes) && agency.supersededListId === null) agency = await this.ensureTitleLists(agency);
    const activeFrom = agency.keyActiveFrom ? Date.parse(agency.keyActiveFrom) : 0;
    if (Date.now() >= activeFrom) {
      if (agency.previousKeyId && agency.ownerAddress) void this.retirePrevious(agency);
      return agency;
    }
    if (agency.previousKeyId) return { ...agency, keyId: agency.previousKeyId, signingKid: agency.previousSigningKid };
    // A first key whose block time is still ahead of this clock (the chain's clock runs ahead): a credential
    // dated now would predate its key, so wait for it, a bounded time.
    const wait = activeFrom - Date.now();
    if (wait > this.config.SIGNING_KEY_ACTIVATION_WAIT_MS) {
      throw new GovcredError('signing_key_not_active', `the agency's signing key is in force from ${agency.keyActiveFrom} (the chain's clock is ahead of the issuer's): retry later`);
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    return agency;
  }

  /**
   * Deletes the previous signing key from the KMS once the new one signs (a routine rotation: the key stays
   * listed on chain, so what it signed keeps verifying; nobody can sign with it any more). Runs beside issuance.
   */
  private retirePrevious(agency: Agency): Promise<void> {
    const previous = agency.previousKeyId!;
    let work = this.retiring.get(previous);
    if (!work) {
      work = (async () => {
        await this.db.exclusive(() => this.veramo.deleteKey(previous));
        await this.db.write(async (m) => {
          const cleared = await m.getRepository(Agency).update({ id: agency.id, previousKeyId: previous }, { previousKeyId: null, previousSigningKid: null });
          if (!cleared.affected) return;
          await m.getRepository(AgencyKey).update({ agencyId: agency.id, kmsKeyId: previous }, { kmsKeyId: null });
          await this.audit.append(m, { actor: 'worker', agencyId: agency.id, action: 'agency.key_deleted', data: { signingKeyId: agency.previousSigningKid } });
        });
      })()
        .catch((error: unknown) => this.logger.error(`deleting the previous signing key of ${agency.id}: ${String(error)}`))
        .finally(() => this.retiring.delete(previous));
      this.retiring.set(previous, work);
    }
    return work;
  }

  /**
   * Gives a property registry created before title chains its superseded and encumbered lists (on chain, then
   * recorded), at its first need: every property credential it issues from then on carries all four entries.
   */
  async ensureTitleLists(agency: Agency): Promise<Agency> {
    // Only an agency whose owner key the issuer holds can lack them: key-role agencies get all four at creation.
    if (agency.ownerAddress) throw new GovcredError('owner_signature_required', 'the title lists of this agency must be created by its owner');
    return this.chain.withAccount(agency.identityAddress, async () => {
      const current = await this.reconcile(await this.get(agency.id));
      if (current.supersededListId !== null && current.encumberedListId !== null) return current;
      try {
        await this.chain.ensureStatusLists(current.identityAddress, current.keyId, current.keyAddress, TITLE_LISTS);
      } catch (error) {
        throw this.chain.toError(error, 'title lists on chain');
      }
      await this.db.write(async (m) => {
        await m.getRepository(Agency).update({ id: current.id }, { supersededListId: SUPERSEDED_LIST_ID, encumberedListId: ENCUMBERED_LIST_ID });
        await this.audit.append(m, { actor: 'worker', agencyId: current.id, action: 'agency.title_lists_created', data: { superseded: SUPERSEDED_LIST_ID, encumbered: ENCUMBERED_LIST_ID } });
      });
      return this.get(current.id);
    });
  }

  /** Replaces the API key; the old one stops working at once. */
  async newApiKey(id: string): Promise<{ apiKey: string }> {
    const apiKey = newApiKey();
    await this.db.write(async (m) => {
      const result = await m.getRepository(Agency).update({ id }, { apiKeyHash: hashSecret(apiKey) });
      if (!result.affected) throw new GovcredError('agency_not_found', 'no such agency');
      await this.audit.append(m, { actor: 'admin', agencyId: id, action: 'agency.api_key_replaced', data: {} });
    });
    return { apiKey };
  }

  /**
   * Rotates the agency key through ERC-1056: a new KMS key becomes the identity's owner (changeOwner signed by
   * the current key). The DID stays; credentials signed before keep verifying against the DID document as of
   * their issuance (the block in force at their issuance time, `?versionId=`); later ones are signed with the new key.
   */
  rotateKey(id: string): Promise<RotatedKey> {
    const work = (async () => {
      const initial = await this.get(id);
      if (initial.ownerAddress) {
        throw new GovcredError('owner_signature_required', 'the issuer holds no owner key of this agency: rotate its signing key with POST /admin/agencies/:id/keys/rotations');
      }
      return this.chain.withAccount(initial.identityAddress, async () => {
        const agency = await this.reconcile(await this.get(id));
        const { key, address } = await this.db.exclusive(() => this.veramo.createKey());
        await this.db.write((m) => m.getRepository(Agency).update({ id }, { pendingKeyId: key.kid, pendingKeyAddress: address }));
        let txHash: string;
        let activeFrom: Date;
        try {
          const receipt = await this.chain.changeOwner(agency.identityAddress, agency.keyId, agency.keyAddress, address);
          txHash = receipt.hash;
          activeFrom = new Date((await this.chain.provider.getBlock(receipt.blockNumber))!.timestamp * 1000);
        } catch (error) {
          throw this.chain.toError(error, 'key rotation');
        }
        await this.promote(agency, key.kid, address, txHash, activeFrom);
        await this.chain.ensureGas(address).catch(() => undefined);
        return { did: agency.did, keyAddress: address, previousKeyAddress: agency.keyAddress, txHash, keyActiveFrom: activeFrom.toISOString() };
      });
    })();
    this.rotations.set(id, work);
    void work.finally(() => {
      if (this.rotations.get(id) === work) this.rotations.delete(id);
    }).catch(() => undefined);
    return work;
  }

  /**
   * Settles a rotation that was sent but not recorded (e.g. the process died after changeOwner): the chain's
   * current owner decides which key is in charge. Call with the identity's chain lock held.
   */
  async reconcile(agency: Agency): Promise<Agency> {
    if (!agency.pendingKeyId || !agency.pendingKeyAddress) return agency;
    let owner: string;
    try {
      owner = await this.chain.identityOwner(agency.identityAddress);
    } catch (error) {
      throw this.chain.toError(error, 'identityOwner');
    }
    if (getAddress(owner) === getAddress(agency.pendingKeyAddress)) {
      // The block time of that changeOwner is not known here; "now" errs on the safe side for new signatures.
      await this.promote(agency, agency.pendingKeyId, agency.pendingKeyAddress, null, new Date());
    } else {
      await this.db.write((m) => m.getRepository(Agency).update({ id: agency.id }, { pendingKeyId: null, pendingKeyAddress: null }));
    }
    return this.get(agency.id);
  }

  private async promote(agency: Agency, keyId: string, keyAddress: string, txHash: string | null, activeFrom: Date): Promise<void> {
    const key = await this.veramo.agent.keyManagerGet({ kid: keyId });
    await this.db.exclusive(() => this.veramo.attachKey(agency.did, key));
    await this.db.write(async (m) => {
      await m.getRepository(Agency).update(
        { id: agency.id },
        { keyId, keyAddress, previousKeyId: agency.keyId, keyActiveFrom: activeFrom.toISOString(), pendingKeyId: null, pendingKeyAddress: null },
      );
      await this.audit.append(m, {
        actor: 'admin',
        agencyId: agency.id,
        action: 'agency.key_rotated',
        data: { did: agency.did, previousKeyAddress: agency.keyAddress, keyAddress, txHash },
      });
    });
  }
}
