/** The 密钥 lives in sessionStorage (gone when the tab closes), never in localStorage or a URL. */
const STORAGE_KEY = 'jiping.key';

export function sessionKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
