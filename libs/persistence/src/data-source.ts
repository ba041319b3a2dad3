import { DataSource } from 'typeorm';
import { validateEnvironment } from '../../../config/environment';
import { buildDataSourceOptions } from './data-source-options';
import { serializeSqliteAccess } from './serialize-sqlite-access';

/** For the TypeORM CLI: npm run migration:run | migration:revert (reads the same environment as the service). */
export default serializeSqliteAccess(
  new DataSource({ ...buildDataSourceOptions(validateEnvironment(process.env)), migrationsRun: false }),
);
