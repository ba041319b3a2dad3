/**
 * A Content-Disposition for a download (RFC 6266): an ASCII `filename` for old clients (every non-ASCII or unsafe
 * character replaced by `_`) and the exact UTF-8 name as `filename*` (RFC 5987), e.g.
 * `attachment; filename="gz-kjj-2021-___.xlsx"; filename*=UTF-8''gz-kjj-2021-%E8%87%AA%E8%AF%84%E8%A1%A8.xlsx`.
 */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
