import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { BodyLimit } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { AdminGuard } from '../auth/admin.guard.js';
import { AgenciesService } from './agencies.service.js';
import { AgencyKey, type AgencyKeyRole } from './entities/agency-key.entity.js';
import { KeyRotationService, type KeyOperation, type KeyOperationReason } from './key-rotation.service.js';

const validateOpen = bodyValidator<{ role?: AgencyKeyRole; reason?: KeyOperationReason }>({
  type: 'object',
  properties: { role: { type: 'string', enum: ['signing', 'writer'] }, reason: { type: 'string', enum: ['rotation', 'compromised'] } },
  additionalProperties: false,
});
const validateSignatures = bodyValidator<{ signatures: string[] }>({
  type: 'object',
  properties: { signatures: { type: 'array', minItems: 1, maxItems: 8, items: { type: 'string', pattern: '^0x[0-9a-fA-F]{130}$' } } },
  required: ['signatures'],
  additionalProperties: false,
});
const OPERATION_ID = /^[0-9a-f-]{36}$/;

/** A key as the admin API shows it: public half and chain facts only. */
type AgencyKeyView = Omit<AgencyKey, 'kmsKeyId' | 'pendingCall' | 'agencyId'> & { held: boolean };

/**
 * Key roles of an agency (issue 15 §2): its signing and writer keys, and their rotation with the owner's
 * signatures (the issuer holds no owner key; governance signs the returned hashes offline).
 */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('admin/agencies/:id/keys')
export class AgencyKeysController {
  constructor(
    private readonly agencies: AgenciesService,
    private readonly rotation: KeyRotationService,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOperation({ summary: "The agency's signing and writer keys, current and past (public keys, DID URLs, validity; `held`: the private key is still in the KMS)" })
  async list(@Param('id') id: string): Promise<AgencyKeyView[]> {
    await this.agencies.get(id);
    const rows = await this.dataSource.getRepository(AgencyKey).find({ where: { agencyId: id }, order: { createdAt: 'ASC' } });
    return rows.map(({ kmsKeyId, pendingCall: _p, agencyId: _a, ...row }) => ({ ...row, held: kmsKeyId !== null }));
  }

  @Post('rotations')
  @HttpCode(200)
  @BodyLimit('1kb')
  @ApiOperation({
    summary: 'Open a key rotation: the next key(s) and the ERC-1056 hashes for the owner to sign',
    description:
      '`role: signing` (default) makes the next signing key, and the next status writer too when the current one ends within ' +
      'STATUS_WRITER_RENEW_DAYS; `role: writer` renews the writer alone. Answers the hashes to sign (raw secp256k1 by the ' +
      "identity's owner, in order). Idempotent: while an operation waits for signatures it is answered again. " +
      '`reason: compromised` also revokes the current key of that role on chain (`revokeAttribute` / `revokeDelegate`, first): ' +
      'every credential the key signed then fails everywhere (re-issue honest ones). Signing stops when a signing-key compromise ' +
      'is opened: issuance answers 503 `signing_key_compromised` until the new key is relayed (then 503 `signing_key_not_active` ' +
      'at most until its block time), and the old private key is deleted when the relay lands. It replaces a routine rotation still waiting.',
  })
  open(@Param('id') id: string, @Body() body: unknown): Promise<KeyOperation> {
    const { role, reason } = validateOpen(body ?? {});
    return this.rotation.open(id, role ?? 'signing', reason ?? 'rotation');
  }

  @Post('rotations/:operation/signatures')
  @HttpCode(200)
  @BodyLimit('4kb')
  @ApiOperation({
    summary: "Relay the owner's signatures of a rotation and switch to the new key(s)",
    description:
      'The calls are relayed as ERC-1056 `*Signed` calls (gas paid by the status writer). The new signing key signs once its block is ' +
      'final and its time reached (`keyActiveFrom`); the old one stays listed in the DID document, so what it signed keeps verifying, ' +
      'and its private key is deleted. Idempotent: a relayed operation is answered again.',
  })
  async complete(@Param('id') id: string, @Param('operation') operation: string, @Body() body: unknown): Promise<KeyOperation> {
    const { signatures } = validateSignatures(body);
    await this.agencies.get(id);
    if (!OPERATION_ID.test(operation)) return this.rotation.complete(id, '00000000-0000-0000-0000-000000000000', signatures);
    return this.rotation.complete(id, operation, signatures);
  }
}
