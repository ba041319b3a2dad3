import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { KEBAB_CODE } from '../../departments/dto/path-params';
import {
  AUDIT_ACTIONS,
  AUDIT_ENTITY_TYPES,
  type AuditAction,
  type AuditEntityType,
  MAX_AUDIT_LIMIT,
} from '../audit.service';

/** A date, or a date and time with Z or an offset: what `new Date` reads the same on every server. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const INSTANT_MESSAGE = (name: string) =>
  `${name} must be an ISO date (2022-03-31) or date-time with Z or an offset (2022-03-31T08:00:00Z)`;

/** Filters of GET /audit; all optional. */
export class ListAuditQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ENTITY_TYPES, example: 'evaluation' })
  @IsOptional()
  @IsIn(AUDIT_ENTITY_TYPES)
  entityType?: AuditEntityType;

  @ApiPropertyOptional({
    example: 'guangzhou-department-overall:2021:1',
    description: 'a rule-set ref, <department>:<year>:<revision>, or an evaluation or API key id',
  })
  @IsOptional()
  @IsString()
  @Length(1, 160)
  entityId?: string;

  @ApiPropertyOptional({ example: 'demo evaluator', description: 'the name of the API key that acted' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  actor?: string;

  @ApiPropertyOptional({ example: '3f2c7a0e-6b1d-4f7e-9a53-0d2f9b6e4c11', description: 'what one user did' })
  @IsOptional()
  @IsUUID('all', { message: 'userId must be the id of a user' })
  userId?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS, example: 'evaluation.adjusted' })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  @ApiPropertyOptional({ example: 'gz-kjj' })
  @IsOptional()
  @Matches(KEBAB_CODE, { message: 'departmentCode must be a kebab-case department code, e.g. gz-kjj' })
  departmentCode?: string;

  @ApiPropertyOptional({ example: '2022-01-01T00:00:00Z', description: 'entries at or after this instant' })
  @IsOptional()
  @Matches(ISO_INSTANT, { message: INSTANT_MESSAGE('from') })
  from?: string;

  @ApiPropertyOptional({ example: '2022-12-31T23:59:59.999Z', description: 'entries at or before this instant' })
  @IsOptional()
  @Matches(ISO_INSTANT, { message: INSTANT_MESSAGE('to') })
  to?: string;

  @ApiPropertyOptional({ example: 100, default: 100, maximum: MAX_AUDIT_LIMIT, description: 'at most this many' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_AUDIT_LIMIT)
  limit?: number;
}
