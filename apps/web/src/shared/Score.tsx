import { Tag } from 'antd';

/** A decimal string as the API sent it, in tabular figures; — for none. Never converted to a number. */
export function Score({ value, className }: { value: string | null | undefined; className?: string }) {
  return <span className={`score ${className ?? ''}`.trim()}>{value ?? '—'}</span>;
}

/** A signed change as the API sent it: +0.31 green, −0.5 red. */
export function Delta({ value }: { value: string | null | undefined }) {
  if (value === null || value === undefined) return <span className="score">—</span>;
  const negative = value.startsWith('-');
  const zero = /^[+-]?0(\.0+)?$/.test(value);
  const text = zero ? value.replace(/^[+-]/, '') : negative ? value : value.startsWith('+') ? value : `+${value}`;
  return <span className={`score ${zero ? '' : negative ? 'delta-down' : 'delta-up'}`}>{text}</span>;
}

const GRADE_COLORS: Record<string, string> = { excellent: 'green', good: 'blue', fair: 'gold', poor: 'red' };

/** 等次 with the rule set's own label; colour by its code when known. */
export function GradeTag({ grade, code }: { grade: string | null | undefined; code?: string }) {
  if (!grade) return <span>—</span>;
  const color = code ? GRADE_COLORS[code] : { 优: 'green', 良: 'blue', 中: 'gold', 差: 'red' }[grade];
  return (
    <Tag color={color} className="grade-tag">
      {grade}
    </Tag>
  );
}

/** Is a decimal string zero ("0", "0.00")? A string test, not arithmetic. */
export function isZero(value: string | undefined): boolean {
  return value === undefined || /^[+-]?0*(\.0*)?$/.test(value);
}
