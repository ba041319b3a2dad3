import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ErrorBodyDto } from '../common/error-body.dto';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto, ListApiKeysQueryDto } from './dto/create-api-key.dto';

@ApiTags('api-keys')
@ApiBearerAuth()
@Roles('admin')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a key: of a user (userId), or of a new user of the key’s name, role and department',
    description:
      'The key is in this response only; it is stored hashed. The usual way is POST /users, then ' +
      'POST /users/{id}/api-keys; `{ name, role, departmentCode }` here creates the user and its key at once.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto, description: 'the key is in this response only; it is stored hashed' })
  create(@Body() dto: CreateApiKeyDto, @CurrentPrincipal() principal: Principal): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(dto, principal);
  }

  @Get()
  @ApiOperation({ summary: 'Every key with its user, expiry, last use and status; filter by user or status' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  list(@Query() query: ListApiKeysQueryDto): Promise<ApiKeyDto[]> {
    return this.apiKeys.list(query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke a key (吊销): refused from now on (401); kept, with status revoked, in lists and the audit log',
  })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such key' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'revoked already' })
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.apiKeys.revoke(id, principal);
  }
}
