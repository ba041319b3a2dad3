import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyEntity, DepartmentEntity, UserEntity } from '@jiping/persistence';
import { ApiKeysController } from '../api-keys/api-keys.controller';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** People (用户) and their named API keys, managed by admins. */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity, UserEntity, DepartmentEntity])],
  controllers: [UsersController, ApiKeysController],
  providers: [UsersService, ApiKeysService],
  exports: [UsersService, ApiKeysService],
})
export class UsersModule {}
