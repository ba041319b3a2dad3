import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { BootstrapService } from './bootstrap.service';

@Module({
  imports: [ApiKeysModule],
  providers: [BootstrapService],
})
export class BootstrapModule {}
