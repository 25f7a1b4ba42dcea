import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { GovcredError, addressOfKey, ethrDidAddress } from '../../../../libs/credentials/src/index.js';
import { hashSecret, newApiKey } from '../../../common/src/auth/secrets.js';
import { KeyBox } from '../oid4vp/key-box.js';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import { VERIFIER_CLOCK } from '../challenges/challenges.service.js';
import { VerifierRegistrationService } from '../registration/verifier-registration.service.js';
import type { CreateVerifierBody, CreatedVerifierAccount, VerifierAccountView } from './dto/create-verifier.dto.js';
import { VerifierAccountEntity } from './entities/verifier-account.entity.js';

/** Prefix of verifier API keys (agencies' keys on the issuer start with `gck_`). */
const API_KEY_PREFIX = 'gvk_';

export function verifierAccountView(a: VerifierAccountEntity): VerifierAccountView {
  return {
    id: a.id,
    name: { 'zh-CN': a.nameZh, en: a.nameEn },
    ...(a.did ? { did: a.did } : {}),
    signsRequests: a.signingKey !== null,
    createdAt: new Date(a.createdAt).toISOString(),
  };
}

/** Verifier accounts: created by the admin, each with an API key shown once. */
@Injectable()
export class VerifierAccountsService {
  constructor(
    @InjectRepository(VerifierAccountEntity) private readonly repository: Repository<VerifierAccountEntity>,
    @Inject(VERIFIER_CONFIG) private readonly config: VerifierConfig,
    @Inject(VERIFIER_CLOCK) private readonly now: () => Date,
    private readonly registrations: VerifierRegistrationService,
  ) {}

  /**
   * An account with a `did` asks only within that DID's registration on the VerifierRegistry, which must be in force
   * now; an account without one is the legacy mode (no check on what it asks).
   * @throws GovcredError invalid_request when the DID is not a did:ethr of the configured chain,
   *   verifier_not_registered when it has no registration in force
   */
  async create(input: CreateVerifierBody): Promise<CreatedVerifierAccount> {
    if (input.did !== undefined && !ethrDidAddress(input.did, this.config.CHAIN_ID)) {
      throw new GovcredError('invalid_request', `did must be a did:ethr on chain ${this.config.CHAIN_ID}`);
    }
    if (input.signingKey !== undefined) {
      if (input.did === undefined) throw new GovcredError('invalid_request', 'a signing key needs the did it belongs to');
      if (!this.config.VERIFIER_KEY_SECRET) throw new GovcredError('key_storage_unavailable', 'VERIFIER_KEY_SECRET is not set: a signing key cannot be kept');
      // The key must be the DID's identity key (ERC-1056's default controller): the wallet checks the request
      // object's signature against the DID document read from chain.
      if (addressOfKey(input.signingKey).toLowerCase() !== ethrDidAddress(input.did, this.config.CHAIN_ID)!.toLowerCase()) {
        throw new GovcredError('invalid_request', "the signing key is not the did's identity key");
      }
    }
    if (input.did !== undefined) await this.registrations.assertRegistered(input.did);
    const name = typeof input.name === 'string' ? { 'zh-CN': input.name, en: input.name } : input.name;
    const apiKey = newApiKey(API_KEY_PREFIX);
    const id = randomUUID();
    const account: VerifierAccountEntity = {
      id,
      nameZh: name['zh-CN'],
      nameEn: name.en,
      did: input.did ?? null,
      apiKeyHash: hashSecret(apiKey),
      signingKey: input.signingKey !== undefined ? new KeyBox(this.config.VERIFIER_KEY_SECRET!).seal(input.signingKey, id) : null,
      createdAt: this.now().getTime(),
    };
    await this.repository.insert(account);
    return { ...verifierAccountView(account), apiKey };
  }

  async list(): Promise<VerifierAccountView[]> {
    return (await this.repository.find({ order: { createdAt: 'ASC', id: 'ASC' } })).map(verifierAccountView);
  }
}
