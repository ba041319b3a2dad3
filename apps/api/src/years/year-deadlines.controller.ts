import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ErrorBodyDto } from '../common/error-body.dto';
import { ParseFiscalYearPipe } from '../departments/dto/path-params';
import { SetYearDeadlinesDto, YearDeadlinesDto } from './dto/year-deadlines.dto';
import { YearDeadlinesService } from './year-deadlines.service';

@ApiTags('years')
@ApiBearerAuth()
@ApiParam({ name: 'year', example: 2021, description: 'fiscal year' })
@ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key, or an unknown key' })
@ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'a malformed year or body, naming the field' })
@Controller('years/:year/deadlines')
export class YearDeadlinesController {
  constructor(private readonly deadlines: YearDeadlinesService) {}

  @Get()
  @ApiOperation({ summary: 'The year’s deadlines (绩效目标申报, 年终数据提交): every key may read them' })
  @ApiOkResponse({ type: YearDeadlinesDto })
  get(@Param('year', ParseFiscalYearPipe) year: number): Promise<YearDeadlinesDto> {
    return this.deadlines.get(year);
  }

  @Put()
  @Roles('admin')
  @ApiOperation({
    summary: 'Set the year’s deadlines (admins; audited)',
    description:
      'Replaces them all (an omitted deadline is none). A first submission after submissionDue is flagged late on ' +
      'the department’s year and in the overview, and refused only with blockLateSubmissions.',
  })
  @ApiOkResponse({ type: YearDeadlinesDto })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'not an admin key' })
  set(
    @Param('year', ParseFiscalYearPipe) year: number,
    @Body() body: SetYearDeadlinesDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<YearDeadlinesDto> {
    return this.deadlines.set(year, body, principal);
  }
}
