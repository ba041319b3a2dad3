import type { InputDefinition } from '../api/types';

/** The pointers a definition edits, with their current (submitted) values and labels. */
export interface Field {
  pointer: string;
  label: string;
  kind: 'text' | 'boolean';
  unit?: string;
  help?: string;
  original: unknown;
}

export function fieldsOf(definitions: InputDefinition[], inputs: Record<string, unknown>): Field[] {
  const fields: Field[] = [];
  for (const d of definitions) {
    const value = inputs[d.id];
    if (d.type === 'checklist' && d.points) {
      const obj = (value ?? {}) as Record<string, unknown>;
      for (const p of d.points) {
        const point = obj[p.id];
        const nested = point !== null && typeof point === 'object' && 'met' in (point as object);
        fields.push({
          pointer: `/inputs/${d.id}/${p.id}${nested ? '/met' : ''}`,
          label: `${d.label} › ${p.label}（${p.points}分）`,
          kind: 'boolean',
          original: nested ? (point as { met: unknown }).met : point,
        });
      }
    } else if (d.type === 'boolean') {
      fields.push({
        pointer: `/inputs/${d.id}`,
        label: d.label,
        kind: 'boolean',
        original: value,
        help: d.description,
      });
    } else if (typeof value === 'string' || value === undefined || typeof value === 'number') {
      fields.push({
        pointer: `/inputs/${d.id}`,
        label: d.label,
        kind: 'text',
        unit: d.type === 'percent' ? '%' : d.unit,
        help: d.description,
        original: value === undefined ? '' : String(value),
      });
    }
  }
  return fields;
}
