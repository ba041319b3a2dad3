import Decimal from 'decimal.js';
import type { ValueTransformer } from 'typeorm';

/**
 * DECIMAL columns as decimal strings in the entities: mysql2 returns DECIMAL as a string, SQLite's NUMERIC as a
 * JS number; both come back as the exact decimal string, never a float the service would compute with.
 */
export const decimalStringTransformer: ValueTransformer = {
  to: (value?: string | null) => (value == null ? value : new Decimal(value).toFixed()),
  from: (value?: string | number | null) => (value == null ? value : new Decimal(value).toFixed()),
};
