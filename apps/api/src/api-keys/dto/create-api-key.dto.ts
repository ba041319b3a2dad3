import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import type { Role } from '@jiping/persistence';

/** POST /users/:id/api-keys: a named key of a user, acting with the user's role and department. */
export class CreateUserKeyDto {
  @ApiProperty({ example: '填报系统对接', description: 'what the key is for (a machine, a script, a laptop)' })
  @IsString()
  @Length(1, 64)
  name!: string;

  @ApiPropertyOptional({
    example: '2027-03-31T16:00:00Z',
    nullable: true,
    type: String,
    description: 'when the key stops being accepted (ISO 8601, in the future); omitted or null: never',
  })
  @ValidateIf((dto: CreateUserKeyDto) => dto.expiresAt !== null && dto.expiresAt !== undefined)
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO 8601 date-time, e.g. 2027-03-31T16:00:00Z' })
  expiresAt?: string | null;
}

/**
 * POST /api-keys: a key of an existing user (`userId`), or — as before users existed — a key of a new user of the
 * key's name, `role` and `departmentCode`.
 */
export class CreateApiKeyDto extends CreateUserKeyDto {
  @ApiPropertyOptional({ example: '3f2c7a0e-6b1d-4f7e-9a53-0d2f9b6e4c11', description: 'the user the key belongs to' })
  @ValidateIf((dto: CreateApiKeyDto) => dto.role === undefined || dto.userId !== undefined)
  @IsUUID('all', { message: 'userId must be the id of a user (or give role, to create a user of the key’s name)' })
  userId?: string;

  @ApiPropertyOptional({
    enum: ['admin', 'evaluator', 'department'],
    example: 'department',
    description: 'without userId: the role of the user created for the key (its name is the key’s)',
  })
  @IsOptional()
  @IsIn(['admin', 'evaluator', 'department'])
  role?: Role;

  @ApiPropertyOptional({ example: 'gz-kjj', description: 'without userId, for a department key: its department' })
  @ValidateIf((dto: CreateApiKeyDto) => dto.role === 'department' || dto.departmentCode !== undefined)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'departmentCode must be a kebab-case department code' })
  @IsOptional()
  departmentCode?: string;
}

export const API_KEY_STATUSES = ['active', 'expired', 'revoked', 'disabled'] as const;
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

export class ApiKeyDto {
  @ApiProperty({ example: '0b6c9c1e-3c1e-4d47-a7b2-0f4c1f6a9d21' }) id!: string;
  @ApiProperty({ example: '填报系统对接' }) name!: string;
  @ApiProperty({ example: '3f2c7a0e-6b1d-4f7e-9a53-0d2f9b6e4c11' }) userId!: string;
  @ApiProperty({ example: '刘洋', description: 'the person the key acts as' }) userName!: string;
  @ApiProperty({ enum: ['admin', 'evaluator', 'department'], description: 'the user’s role' }) role!: Role;
  @ApiPropertyOptional({ example: 'gz-kjj', nullable: true, description: 'the user’s department' })
  departmentCode!: string | null;
  @ApiProperty({ example: 'jp_Xq3v', description: 'the first characters of the key' }) keyPrefix!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ example: '陈静', nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2027-03-31T16:00:00.000Z', description: 'null: never' })
  expiresAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the last request with the key, to the minute' })
  lastUsedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '陈静' }) revokedBy!: string | null;
  @ApiProperty({
    enum: API_KEY_STATUSES,
    example: 'active',
    description: 'active; expired; revoked (吊销); disabled: its user is disabled',
  })
  status!: ApiKeyStatus;
  @ApiProperty({ example: '有效', enum: ['有效', '已过期', '已吊销', '账号已停用'] }) statusLabel!: string;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ example: 'jp_Xq3v…', description: 'the key itself: shown once, only in this response' }) key!: string;
}

export class ListApiKeysQueryDto {
  @ApiPropertyOptional({ description: 'the keys of one user' })
  @IsOptional()
  @IsUUID('all')
  userId?: string;

  @ApiPropertyOptional({ enum: API_KEY_STATUSES })
  @IsOptional()
  @IsIn(API_KEY_STATUSES)
  status?: ApiKeyStatus;
}
