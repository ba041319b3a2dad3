import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DepartmentEntity } from '@jiping/persistence';
import { Repository } from 'typeorm';
import { assertDepartmentVisible } from '../auth/department-scope';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import type { DepartmentDto } from './dto/department.dto';

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
};

/** The departments (部门/单位) the bureau evaluates. A department key sees only its own. */
@Injectable()
export class DepartmentsService {
  constructor(@InjectRepository(DepartmentEntity) private readonly departments: Repository<DepartmentEntity>) {}

  /** Any admin may create a department; the record does not keep who did (the principal is for symmetry). */
  async create(dto: { code: string; name: string; region: string }, _principal: Principal): Promise<DepartmentDto> {
    const duplicate = () => ApiError.conflict(`department "${dto.code}" already exists; department codes never change`);
    if (await this.departments.existsBy({ code: dto.code })) throw duplicate();
    const entity = this.departments.create({
      code: dto.code,
      name: dto.name,
      region: dto.region,
      createdAt: new Date(),
    });
    try {
      // insert, not save: save would update an existing row of the same code.
      await this.departments.insert(entity);
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicate();
      throw error;
    }
    return toDepartmentDto(entity);
  }

  async list(principal: Principal): Promise<DepartmentDto[]> {
    const rows =
      principal.role === 'department'
        ? await this.departments.findBy({ code: principal.departmentCode ?? '' })
        : await this.departments.find({ order: { code: 'ASC' } });
    return rows.map(toDepartmentDto);
  }

  async get(code: string, principal: Principal): Promise<DepartmentDto> {
    return toDepartmentDto(await this.findVisible(code, principal));
  }

  /** The department, if the caller may see it: 404 when it does not exist or belongs to another department's key. */
  async findVisible(code: string, principal: Principal): Promise<DepartmentEntity> {
    assertDepartmentVisible(principal, code);
    const department = await this.departments.findOneBy({ code });
    if (!department) throw ApiError.notFound(`department "${code}"`);
    return department;
  }
}

export function toDepartmentDto(entity: DepartmentEntity): DepartmentDto {
  return {
    code: entity.code,
    name: entity.name,
    region: entity.region,
    createdAt: new Date(entity.createdAt).toISOString(),
  };
}
