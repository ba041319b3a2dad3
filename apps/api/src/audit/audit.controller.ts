import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ErrorBodyDto } from '../common/error-body.dto';
import { AuditService } from './audit.service';
import { AuditEntryDto } from './dto/audit-entry.dto';
import { ListAuditQueryDto } from './dto/list-audit-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: 'The audit log: who did what, when and why (newest first)',
    description:
      'Every rule-set (uploaded, updated, published, deleted), target declaration, submission, evaluation, ' +
      'adjustment (复核, with its reasons) and API-key action, by the name, id and role of the key that acted. ' +
      'Filter by entity, actor, action, department and time, e.g. ' +
      '`GET /audit?entityType=evaluation&action=evaluation.adjusted&from=2022-01-01T00:00:00Z`.',
  })
  @ApiOkResponse({ type: [AuditEntryDto] })
  @ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key or an unknown key' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'not an admin key' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED: an unknown filter or value, a limit over 500, or `to` before `from`',
  })
  list(@Query() query: ListAuditQueryDto): Promise<AuditEntryDto[]> {
    return this.audit.list(query);
  }
}
