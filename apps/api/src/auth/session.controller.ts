import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Role } from '@jiping/persistence';
import { ErrorBodyDto } from '../common/error-body.dto';
import { CurrentPrincipal } from './auth.decorators';
import type { Principal, SignInMethod } from './principal';
import { ROLE_LABELS } from './roles';

export class SessionUserDto {
  @ApiProperty({ example: '3f2c7a0e-6b1d-4f7e-9a53-0d2f9b6e4c11' }) id!: string;
  @ApiProperty({ example: '王立新' }) name!: string;
}

/** Who is signed in: what the console needs to show a role's menus (the API still checks every route). */
export class SessionDto {
  @ApiProperty({ enum: ['admin', 'evaluator', 'department'], example: 'evaluator' }) role!: Role;
  @ApiProperty({ example: '评价人员', enum: ['管理员', '评价人员', '部门填报员'] }) roleLabel!: string;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'set for a department’s clerk: the only department they see',
  })
  departmentCode!: string | null;
  @ApiProperty({ type: SessionUserDto, description: 'the person: the audit log names them' }) user!: SessionUserDto;
  @ApiProperty({ enum: ['key', 'oidc'], example: 'key', description: 'an API key, or the bureau’s single sign-on' })
  via!: Exclude<SignInMethod, 'system'>;
  @ApiPropertyOptional({ example: '演示评价人员密钥', description: 'the API key’s name (via key)' })
  keyName?: string;
  @ApiPropertyOptional({
    example: null,
    nullable: true,
    type: String,
    description: 'when the key or the token stops being accepted (ISO 8601); null: a key that does not expire',
  })
  expiresAt?: string | null;
}

@ApiTags('session')
@ApiBearerAuth()
@Controller('session')
export class SessionController {
  @Get()
  @ApiOperation({ summary: 'Who is signed in: the user, their role and department, and how they signed in' })
  @ApiOkResponse({ type: SessionDto })
  @ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no credential, or one that is not accepted' })
  get(@CurrentPrincipal() principal: Principal): SessionDto {
    return {
      role: principal.role,
      roleLabel: ROLE_LABELS[principal.role],
      departmentCode: principal.departmentCode,
      user: { id: principal.userId, name: principal.name },
      via: principal.via === 'oidc' ? 'oidc' : 'key',
      ...(principal.keyName !== undefined ? { keyName: principal.keyName } : {}),
      ...(principal.expiresAt !== undefined
        ? { expiresAt: principal.expiresAt ? principal.expiresAt.toISOString() : null }
        : {}),
    };
  }
}
