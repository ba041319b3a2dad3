/**
 * A Content-Disposition for a download (RFC 6266): a readable ASCII `filename` first, for clients that do not read
 * `filename*` — `curl -OJ` saves under it — then the exact UTF-8 name as `filename*` (RFC 5987), which browsers
 * prefer, e.g. `attachment; filename="gz-kjj-2021-zipingbiao.xlsx"; filename*=UTF-8''gz-kjj-2021-%E8%87%AA…xlsx`.
 * The fallback defaults to the name without its non-ASCII characters (`gz-kjj-2021-自评表.xlsx` → `gz-kjj-2021.xlsx`).
 */
export function attachment(filename: string, fallback: string = asciiFallback(filename)): string {
  const ascii = asciiFallback(fallback);
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * A name of printable ASCII only, safe in a quoted string and as a file name: other characters dropped, and the
 * separators they leave around them tidied (`gz-kjj-2021-自评表.xlsx` → `gz-kjj-2021.xlsx`); `download` when nothing
 * is left of the name before its extension.
 */
export function asciiFallback(filename: string): string {
  const cleaned = filename.replace(/[^\x20-\x7e]|["\\%;/:*?<>|]/g, '');
  const dot = cleaned.lastIndexOf('.');
  const [base, extension] = dot >= 0 ? [cleaned.slice(0, dot), cleaned.slice(dot)] : [cleaned, ''];
  const tidy = base
    .replace(/([-_ .])[-_ .]+/g, '$1')
    .replace(/^[-_ .]+|[-_ .]+$/g, '')
    .trim();
  return `${tidy || 'download'}${extension}`;
}
