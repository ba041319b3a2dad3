/**
 * An API message as a clerk reads it. The API's Chinese messages are written for every caller, so a refusal may end
 * with the route that would undo it (「…请绩效处退回（POST …/return）」) and names a department by its code. On a page
 * the route means nothing and the code is not how a clerk knows the department: drop the first, name the second.
 */
export function plainText(message: string, names: Record<string, string> = {}): string {
  let text = message
    // （POST …/return）, (GET …/targets/template.xlsx 下载): a route in brackets, with any words after it
    .replace(/\s*[（(](?:GET|POST|PUT|PATCH|DELETE)\s[^）)]*[）)]/g, '')
    // a route left bare in a sentence
    .replace(/\s*(?:GET|POST|PUT|PATCH|DELETE)\s+(?:…|\/)\S*/g, '');
  for (const [code, name] of Object.entries(names)) if (code && name) text = text.split(code).join(name);
  return text;
}
