import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ErrorBodyDto } from '../common/error-body.dto';
import { DepartmentsService } from './departments.service';
import { CreateDepartmentDto, DepartmentDto } from './dto/department.dto';
import { ParseDepartmentCodePipe } from './dto/path-params';

@ApiTags('departments')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key, or an unknown key' })
@Controller('departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: DepartmentDto })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'not an admin key' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'a department with this code exists' })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED, every field named' })
  create(@Body() dto: CreateDepartmentDto, @CurrentPrincipal() principal: Principal): Promise<DepartmentDto> {
    return this.departments.create(dto, principal);
  }

  /** Every department; a department key gets a list with only its own. */
  @Get()
  @ApiOkResponse({ type: [DepartmentDto] })
  list(@CurrentPrincipal() principal: Principal): Promise<DepartmentDto[]> {
    return this.departments.list(principal);
  }

  @Get(':code')
  @ApiOkResponse({ type: DepartmentDto })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'no such department, or another department (department key)',
  })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'the code is not kebab-case' })
  get(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DepartmentDto> {
    return this.departments.get(code, principal);
  }
}
