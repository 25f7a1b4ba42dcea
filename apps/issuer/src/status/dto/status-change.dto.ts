import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { JSONSchemaType } from 'ajv';
import type { StatusAction } from '../entities/status-change.entity.js';

/** The actions an agency asks for on this route (`supersede` comes only from a title transfer). */
export type RequestedAction = Exclude<StatusAction, 'supersede'>;

/** Body of `POST /credentials/status`. */
export class ChangeStatusDto {
  @ApiProperty({ example: 'urn:uuid:5f2c…' })
  credentialId!: string;

  @ApiProperty({
    enum: ['revoke', 'suspend', 'reinstate', 'encumber', 'release'],
    description: 'revoke is final; reinstate lifts a suspension; encumber registers a mortgage on a property title, release lifts it',
  })
  action!: RequestedAction;

  @ApiPropertyOptional({ description: 'Why (kept in the audit log with who asked; no personal data)', maxLength: 200 })
  reason?: string;
}

export const CHANGE_STATUS_SCHEMA: JSONSchemaType<ChangeStatusDto> = {
  type: 'object',
  properties: {
    credentialId: { type: 'string', minLength: 1, maxLength: 45 },
    action: { type: 'string', enum: ['revoke', 'suspend', 'reinstate', 'encumber', 'release'] },
    reason: { type: 'string', maxLength: 200, nullable: true },
  },
  required: ['credentialId', 'action'],
  additionalProperties: false,
};
