import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { inLang, type Lang } from '@jiping/rules';
import type { Simulation, SimulationSide } from '@jiping/scoring';

/** A rule-set version on one side of a simulation. */
export class SimulationSideDto {
  @ApiProperty({
    example: 'guangzhou-department-overall:2021:1',
    description: 'the stored version (`<id>:<year>:<version no>`), or "inline" for a rule file sent with the request',
  })
  ref!: string;

  @ApiProperty({ example: 'guangzhou-department-overall' }) id!: string;
  @ApiProperty({ example: '2021.1.0', description: 'the version written in the rule file' }) version!: string;
  @ApiProperty({ example: 2021 }) fiscalYear!: number;
  @ApiProperty({ description: 'sha256 of the canonical rule file' }) checksum!: string;
}

/** An indicator that read an assumed value. */
export class SimulationIndicatorDto {
  @ApiProperty({ example: 'data-security' }) code!: string;
  @ApiProperty({ example: '数据安全管理' }) name!: string;
}

/** One value the earlier data lacked, assumed as the rule file declares (continues.inputs[].assume). */
export class SimulationAssumptionDto {
  @ApiProperty({
    example: 'dataSecurity/dataRules',
    description: 'stable key: the input id, or <input>/<point> for a checklist point (NodeReport.assumed[].key)',
  })
  key!: string;

  @ApiProperty({ example: 'dataSecurity', description: 'the input id of the rule set scored with' }) input!: string;
  @ApiPropertyOptional({ example: 'dataRules', description: 'the checklist point, when one point is assumed' })
  point?: string;

  @ApiProperty({ example: '数据安全管理 › 已制定数据安全管理制度' }) label!: string;

  @ApiProperty({
    oneOf: [
      { type: 'string' },
      { type: 'boolean' },
      { type: 'integer' },
      { type: 'object', additionalProperties: true },
    ],
    example: true,
    description: 'the assumed value as a submission gives it',
  })
  value!: unknown;

  @ApiProperty({ example: '满足', description: 'how the value reads (满足/不满足, 是/否, an amount with its unit, …)' })
  shown!: string;

  @ApiPropertyOptional({ example: '2022年新增指标，2021年无此项考核要求，模拟2021年数据时按满足计' })
  reason?: string;

  @ApiProperty({ type: [SimulationIndicatorDto], description: 'the leaves whose score reads the value' })
  indicators!: SimulationIndicatorDto[];
}

/** Earlier data renamed or left out by the simulation (never an error). */
export class SimulationNoteDto {
  @ApiProperty({
    example: 'input-dropped',
    enum: [
      'version-differs',
      'input-renamed',
      'input-dropped',
      'point-dropped',
      'evidence-dropped',
      'targets-dropped',
      'budget-dropped',
    ],
  })
  kind!: string;

  @ApiProperty({ example: 'assetSystems', description: 'the input, point (<input>/<point>), indicator or section' })
  code!: string;

  @ApiProperty({
    example: '2021年数据中的 资产管理制度健全（assetSystems）在新规则中已删除，不参与模拟',
    description: 'in the caller’s language (Accept-Language)',
  })
  message!: string;
}

/**
 * What was simulated when earlier data was scored under a rule set that continues its version (`continues`), e.g.
 * the 2021 data of a department under a 2022 draft.
 */
export class WhatIfSimulationDto {
  @ApiProperty({ example: '2021年数据按2022年规则模拟', description: 'in the caller’s language (Accept-Language)' })
  description!: string;

  @ApiProperty({ type: SimulationSideDto, description: 'the version the data was made under (the base’s)' })
  from!: SimulationSideDto;

  @ApiProperty({ type: SimulationSideDto, description: 'the version it was scored with (the chosen rule set)' })
  to!: SimulationSideDto;

  @ApiProperty({
    type: [SimulationAssumptionDto],
    description:
      'every value assumed because the data lacked it; each leaf that read one carries `assumed` in the report',
  })
  assumptions!: SimulationAssumptionDto[];

  @ApiProperty({
    type: [SimulationNoteDto],
    description: 'inputs renamed; inputs, points, evidence or sections left out',
  })
  notes!: SimulationNoteDto[];
}

const side = (value: SimulationSide, ref: string): SimulationSideDto => ({ ref, ...value });

/** A Simulation in the caller's language, with the stored references of both sides. */
export function simulationDto(simulation: Simulation, lang: Lang, fromRef: string, toRef: string): WhatIfSimulationDto {
  return {
    description: inLang(simulation.description, lang),
    from: side(simulation.from, fromRef),
    to: side(simulation.to, toRef),
    assumptions: simulation.assumptions.map((a) => ({
      key: a.key,
      input: a.input,
      ...(a.point && { point: a.point }),
      label: a.label,
      value: a.value,
      shown: a.shown,
      ...(a.reason && { reason: a.reason }),
      indicators: a.indicators.map((i) => ({ code: i.code, name: i.name })),
    })),
    notes: simulation.notes.map((note) => ({ kind: note.kind, code: note.code, message: inLang(note.message, lang) })),
  };
}
