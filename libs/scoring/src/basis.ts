export interface BasisValues {
  calc: string;
  metric?: string;
  score: string;
  weight: string;
  evidence?: string;
  /** Any other placeholder: an input id ({procurementActual}) or a derived count ({targetsMet}). */
  values(key: string): string | undefined;
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;
const LEADING = /^[，。；、\s]+/;
const TRAILING = /[，；、\s]+$/;

/**
 * Renders a 评分依据 sentence from the leaf's template ({metric} {score} {weight} {calc} {evidence} {<inputId>}).
 * Without a template it is the computation followed by the evidence. Placeholders with no value vanish, and the
 * punctuation they leave dangling is tidied, so a missing evidence text never leaves "，，" behind.
 */
export function renderBasis(template: string | undefined, values: BasisValues): string {
  const text = (template ?? (values.evidence ? '{calc}。{evidence}' : '{calc}')).replace(
    PLACEHOLDER,
    (_, key: string) => {
      switch (key) {
        case 'calc':
          return values.calc;
        case 'metric':
          return values.metric ?? '';
        case 'score':
          return values.score;
        case 'weight':
          return values.weight;
        case 'evidence':
          return values.evidence ?? '';
        default:
          return values.values(key) ?? '';
      }
    },
  );
  return text
    .replace(/([，；。、])[，；。、]+/g, '$1')
    .replace(LEADING, '')
    .replace(TRAILING, '')
    .replace(/。$/, '');
}
