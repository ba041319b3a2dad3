const texts = new WeakMap<object, string>();

/**
 * A text that depends only on the rule set — a method's description, a tier's score range — written the first time a
 * report needs it and kept with the rule-set object it describes (compiled rule sets are cached, so once per rule set).
 */
export function writtenOnce(of: object, write: () => string): string {
  let text = texts.get(of);
  if (text === undefined) {
    text = write();
    texts.set(of, text);
  }
  return text;
}
