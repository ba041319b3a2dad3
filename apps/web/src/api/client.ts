import { ApiProblem } from './problem';
import { sessionKey } from '../session/key';

/**
 * The only module that calls fetch. Same origin; the 密钥 from sessionStorage as a Bearer header; every failure is an
 * ApiProblem (a refusal with the API's code, or NETWORK), never a bare Response or TypeError.
 */
export type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Sent as is (FormData for uploads). */
  rawBody?: BodyInit;
}

function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers = new Headers({ Accept: 'application/json', 'Accept-Language': 'zh-CN' });
  const key = sessionKey();
  if (key) headers.set('Authorization', `Bearer ${key}`);
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(url(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body,
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error; // cancelled by TanStack Query
    throw new ApiProblem(0, 'NETWORK', String(error));
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    throw ApiProblem.from(response.status, parsed);
  }
  return response;
}

/** A JSON answer. */
export async function apiJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** The file name in Content-Disposition (filename* first, RFC 6266). */
export function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain ? plain[1] : fallback;
}

/**
 * A download through fetch with the key in the header (never in the URL), saved under the server's file name.
 * Returns the file name.
 */
export async function apiDownload(path: string, fallbackName: string, options: RequestOptions = {}): Promise<string> {
  const response = await send(path, { ...options, method: options.method ?? 'GET' });
  const name = fileNameOf(response, fallbackName);
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return name;
}
