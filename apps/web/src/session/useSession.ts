import { useQuery } from '@tanstack/react-query';
import { apiJson } from '../api/client';
import type { Session } from '../api/types';
import { sessionKey } from './key';

export const sessionKeys = { all: ['session'] as const };

/** Who is signed in, from GET /session (the role comes from the API, never from the browser). */
export function useSession() {
  return useQuery({
    queryKey: sessionKeys.all,
    queryFn: ({ signal }) => apiJson<Session>('/session', { signal }),
    enabled: sessionKey() !== null,
    staleTime: 5 * 60_000,
    retry: false,
    throwOnError: false,
  });
}
