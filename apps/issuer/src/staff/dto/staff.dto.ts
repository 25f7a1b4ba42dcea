import { ApiProperty } from '@nestjs/swagger';
import type { JSONSchemaType } from 'ajv';
import { STAFF_ROLES, type StaffRole } from '../entities/staff-member.entity.js';

/** Body of `POST /admin/agencies/:id/staff`. */
export class CreateStaffDto {
  @ApiProperty({ example: 'nju.clerk', description: 'Unique across agencies: 3–64 of a-z 0-9 . _ -' })
  username!: string;

  @ApiProperty({ example: '王小明' })
  displayName!: string;

  @ApiProperty({ enum: STAFF_ROLES, description: 'clerk: offers; officer: revoke, suspend, reinstate; auditor: the audit log' })
  role!: StaffRole;

  @ApiProperty({ description: 'Initial password, 12–200 characters (only a scrypt hash is kept)' })
  password!: string;
}

export const CREATE_STAFF_SCHEMA: JSONSchemaType<CreateStaffDto> = {
  type: 'object',
  properties: {
    username: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{2,63}$' },
    displayName: { type: 'string', minLength: 1, maxLength: 200 },
    role: { type: 'string', enum: [...STAFF_ROLES] },
    password: { type: 'string', minLength: 12, maxLength: 200 },
  },
  required: ['username', 'displayName', 'role', 'password'],
  additionalProperties: false,
};

/** Body of `POST /staff/session`. */
export class SignInDto {
  @ApiProperty({ example: 'nju.clerk' })
  username!: string;

  @ApiProperty()
  password!: string;
}

export const SIGN_IN_SCHEMA: JSONSchemaType<SignInDto> = {
  type: 'object',
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 200 },
  },
  required: ['username', 'password'],
  additionalProperties: false,
};

/** A staff member as the APIs show it (never the password hash). */
export interface StaffView {
  id: string;
  agencyId: string;
  username: string;
  displayName: string;
  role: StaffRole;
  createdAt: string;
}

/** What the portal learns about its session. */
export interface SessionView {
  staff: StaffView;
  agency: { id: string; did: string; nameZh: string; nameEn: string; credentialTypes: string[] };
  /** Echo in `x-csrf-token` on every state-changing request. */
  csrfToken: string;
  expiresAt: string;
}
