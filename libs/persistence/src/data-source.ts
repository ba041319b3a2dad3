import { DataSource } from 'typeorm';
import { validateEnvironment } from '../../../config/environment';
import { buildDataSourceOptions } from './data-source-options';

/** For the TypeORM CLI: npm run migration:run | migration:revert (reads the same environment as the service). */
export default new DataSource({ ...buildDataSourceOptions(validateEnvironment(process.env)), migrationsRun: false });
