import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { localized } from '@jiping/rules';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { CreatedApiKeyDto, CreateUserKeyDto } from '../api-keys/dto/create-api-key.dto';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { ErrorBodyDto } from '../common/error-body.dto';
import {
  CreateUserDto,
  ListUsersQueryDto,
  UpdateUserDto,
  UserDetailDto,
  UserDto,
  UserStatusChangeDto,
} from './dto/user.dto';
import { toUserDto, UsersService } from './users.service';

const idPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new ApiError(
      ApiErrorCode.VALIDATION_FAILED,
      localized('路径中的用户 id 有误', 'the user id in the path is not a UUID'),
      [{ pointer: 'id', message: localized('应为用户 id（UUID）', 'a UUID') }],
    ),
});

/** People (用户) and their keys, managed by admins. */
@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key, or an unknown, expired or revoked one' })
@ApiForbiddenResponse({ type: ErrorBodyDto, description: 'not an admin' })
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create a user: name, contact, role and (for a clerk) department',
    description: 'A department may have several clerks. Audited as user.created. Give the user a key next.',
  })
  @ApiCreatedResponse({ type: UserDto })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description: 'a malformed field; a clerk without an existing, active department; an admin or evaluator with one',
  })
  async create(@Body() dto: CreateUserDto, @CurrentPrincipal() principal: Principal): Promise<UserDto> {
    return toUserDto(await this.users.create(dto, principal), 0);
  }

  @Get()
  @ApiOperation({ summary: 'The users, oldest first; filter by role, department or status (active | disabled)' })
  @ApiOkResponse({ type: [UserDto] })
  list(@Query() query: ListUsersQueryDto): Promise<UserDto[]> {
    return this.users.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A user with every key (active, expired and revoked)' })
  @ApiOkResponse({ type: UserDetailDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such user' })
  async get(@Param('id', idPipe) id: string): Promise<UserDetailDto> {
    const user = await this.users.get(id);
    const keys = (await this.apiKeys.list({ userId: id })).reverse();
    return { ...user, keys };
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a user’s name, contact, role or department (audited as user.updated, each change from/to)',
    description:
      'A new role or department applies at once to every key of the user. The last active admin cannot be demoted; ' +
      'the role and department of a single sign-on user come from the provider (409).',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such user' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'the last active admin; a single sign-on user’s role' })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'a malformed field or department' })
  update(
    @Param('id', idPipe) id: string,
    @Body() dto: UpdateUserDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UserDto> {
    return this.users.update(id, dto, principal);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Disable a user (停用), with a reason: none of their keys nor their single sign-on is accepted (401)',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such user' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'disabled already; yourself; the last active admin' })
  disable(
    @Param('id', idPipe) id: string,
    @Body() dto: UserStatusChangeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UserDto> {
    return this.users.disable(id, dto.reason, principal);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled user (启用), with a reason' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such user' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'not disabled' })
  enable(
    @Param('id', idPipe) id: string,
    @Body() dto: UserStatusChangeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UserDto> {
    return this.users.enable(id, dto.reason, principal);
  }

  @Post(':id/api-keys')
  @ApiOperation({
    summary: 'Give a user a named API key, optionally expiring',
    description:
      'The key acts as the user, with their role and department; it is in this response only (stored hashed). ' +
      'Audited as api-key.created.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such user' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'the user is disabled' })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'a malformed name, an expiry in the past' })
  createKey(
    @Param('id', idPipe) id: string,
    @Body() dto: CreateUserKeyDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreatedApiKeyDto> {
    return this.apiKeys.createForUser(id, dto, principal);
  }
}
