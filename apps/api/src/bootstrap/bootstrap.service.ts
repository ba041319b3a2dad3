import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../../../../config/environment';
import { ApiKeysService } from '../api-keys/api-keys.service';

/**
 * On an empty database: creates the bootstrap admin key (JIPING_BOOTSTRAP_ADMIN_KEY), and loads the demo when
 * JIPING_DEMO is true. A database that already has keys is left as it is, so a restart duplicates nothing.
 */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('jiping');

  constructor(
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.apiKeys.count()) > 0) return;
    const adminKey = this.config.get('JIPING_BOOTSTRAP_ADMIN_KEY', { infer: true });
    if (adminKey) {
      await this.apiKeys.create({ name: 'bootstrap admin', role: 'admin', key: adminKey }, 'bootstrap');
      this.logger.log('created the admin key given in JIPING_BOOTSTRAP_ADMIN_KEY');
    }
  }
}
