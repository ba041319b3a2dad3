import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Role } from '@jiping/persistence';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { KEBAB_CODE } from '../../departments/dto/path-params';
import { ApiKeyDto } from '../../api-keys/dto/create-api-key.dto';

const ROLE_VALUES = ['admin', 'evaluator', 'department'] as const;

export class CreateUserDto {
  @ApiProperty({ example: '刘洋', description: '姓名; the audit log names the person by it', maxLength: 64 })
  @IsString()
  @Length(1, 64) // written as created_by / published_by (varchar 64) on everything the user does
  name!: string;

  @ApiPropertyOptional({
    example: '广州市科学技术局财务处 020-83120003',
    description: '联系方式: phone, e-mail, office',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  contact?: string;

  @ApiProperty({ enum: ROLE_VALUES, example: 'department' })
  @IsIn(ROLE_VALUES)
  role!: Role;

  @ApiPropertyOptional({ example: 'gz-kjj', description: 'required for a clerk (role department): their department' })
  @ValidateIf((dto: CreateUserDto) => dto.role === 'department' || dto.departmentCode !== undefined)
  @Matches(KEBAB_CODE, { message: 'departmentCode must be a kebab-case department code, e.g. gz-kjj' })
  departmentCode?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ example: '刘洋' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  name?: string;

  @ApiPropertyOptional({ example: '020-83120003', nullable: true, type: String })
  @ValidateIf((dto: UpdateUserDto) => dto.contact !== null && dto.contact !== undefined)
  @IsString()
  @MaxLength(200)
  contact?: string | null;

  @ApiPropertyOptional({ enum: ROLE_VALUES, description: 'a new role applies to every key of the user at once' })
  @IsOptional()
  @IsIn(ROLE_VALUES)
  role?: Role;

  @ApiPropertyOptional({
    example: 'gz-kjj',
    nullable: true,
    type: String,
    description: 'a clerk’s department (null for admins and evaluators)',
  })
  @ValidateIf((dto: UpdateUserDto) => dto.departmentCode !== null && dto.departmentCode !== undefined)
  @Matches(KEBAB_CODE, { message: 'departmentCode must be a kebab-case department code, e.g. gz-kjj' })
  departmentCode?: string | null;
}

export class UserStatusChangeDto {
  @ApiProperty({ example: '已调离科技局财务处', description: 'why (kept in the audit log)' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export class ListUsersQueryDto {
  @ApiPropertyOptional({ enum: ROLE_VALUES })
  @IsOptional()
  @IsIn(ROLE_VALUES)
  role?: Role;

  @ApiPropertyOptional({ example: 'gz-kjj', description: 'the clerks of one department' })
  @IsOptional()
  @Matches(KEBAB_CODE, { message: 'departmentCode must be a kebab-case department code, e.g. gz-kjj' })
  departmentCode?: string;

  @ApiPropertyOptional({ enum: USER_STATUSES, description: 'both when omitted (disabled users are marked)' })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;
}

export class UserDto {
  @ApiProperty({ example: '3f2c7a0e-6b1d-4f7e-9a53-0d2f9b6e4c11' }) id!: string;
  @ApiProperty({ example: '刘洋' }) name!: string;
  @ApiProperty({ example: '广州市科学技术局财务处 020-83120003', nullable: true, type: String }) contact!:
    | string
    | null;
  @ApiProperty({ enum: ROLE_VALUES, example: 'department' }) role!: Role;
  @ApiProperty({ example: '部门填报员', enum: ['管理员', '评价人员', '部门填报员'] }) roleLabel!: string;
  @ApiProperty({ example: 'gz-kjj', nullable: true, type: String }) departmentCode!: string | null;
  @ApiProperty({ enum: USER_STATUSES, example: 'active' }) status!: UserStatus;
  @ApiProperty({ example: '在用', enum: ['在用', '已停用'] }) statusLabel!: string;
  @ApiProperty({
    enum: ['local', 'oidc'],
    example: 'local',
    description: 'local: created by an admin, signs in with API keys; oidc: created at a first single sign-on',
  })
  source!: 'local' | 'oidc';
  @ApiProperty({ example: '2021-02-25T08:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ example: '陈静', nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) updatedAt!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) disabledAt!: string | null;
  @ApiProperty({ example: '2022-04-08T02:15:00.000Z', nullable: true, type: String, description: 'to the minute' })
  lastSeenAt!: string | null;
  @ApiProperty({ example: 1, description: 'keys that are neither revoked nor expired' }) activeKeys!: number;
}

export class UserDetailDto extends UserDto {
  @ApiProperty({ type: [ApiKeyDto], description: 'every key of the user, newest first (revoked and expired too)' })
  keys!: ApiKeyDto[];
}
