import { createHash, randomBytes } from 'node:crypto';

/** Keys are stored as their sha256 only. */
export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** A new random key: jp_ + 32 random bytes, base64url. */
export const generateApiKey = (): string => `jp_${randomBytes(32).toString('base64url')}`;
