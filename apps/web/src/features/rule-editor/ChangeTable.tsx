import { Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { zhRuleEditor as t } from '../../i18n/rule-editor.zh-CN';
import type { RuleFileProblem, RuleSetChange } from './types';

/**
 * A before/after value of a change as the bureau reads it: a scoring method's type by its Chinese name (按比例计分,
 * not proportional); everything else as the API sent it.
 */
export function changeValue(value: string | undefined, change: RuleSetChange): string {
  if (value === undefined || value === null) return '—';
  if (change.pointer.endsWith('/method/type')) return t.method.types[value] ?? value;
  return value;
}

const changeColumns: ColumnsType<RuleSetChange> = [
  {
    title: t.diff.change,
    dataIndex: 'kind',
    width: 110,
    render: (kind: string) => <Tag>{t.diff.kinds[kind] ?? kind}</Tag>,
  },
  { title: t.diff.path, dataIndex: 'path', width: 260, render: (path?: string, c?: RuleSetChange) => path ?? c?.code },
  { title: t.diff.before, dataIndex: 'before', render: (v: string | undefined, c) => changeValue(v, c) },
  { title: t.diff.after, dataIndex: 'after', render: (v: string | undefined, c) => changeValue(v, c) },
];

/** A diff as the 修订说明 lists it: one row per change, the bureau's words, as the API sent them. */
export function ChangeTable({ changes, caption }: { changes: RuleSetChange[]; caption?: string }) {
  if (changes.length === 0)
    return <Typography.Paragraph className="no-change">{t.workbook.noChange}</Typography.Paragraph>;
  return (
    <Table<RuleSetChange>
      size="small"
      rowKey={(c, i) => `${c.pointer}#${i}`}
      aria-label={caption ?? t.diff.title}
      pagination={false}
      columns={changeColumns}
      dataSource={changes}
      locale={{ emptyText: t.workbook.noChange }}
    />
  );
}

/** Problems (or warnings) with where they are: the cell of a workbook, the indicator's path, the JSON pointer. */
export function ProblemTable({
  problems,
  caption,
  withCell,
}: {
  problems: RuleFileProblem[];
  caption: string;
  withCell?: boolean;
}) {
  const columns: ColumnsType<RuleFileProblem> = [
    ...(withCell ? [{ title: t.problems.cell, dataIndex: 'cell', width: 120, render: (v?: string) => v ?? '—' }] : []),
    { title: t.problems.where, dataIndex: 'path', width: 220, render: (v?: string) => v ?? '—' },
    {
      title: t.problems.message,
      dataIndex: 'message',
      render: (message: string, p: RuleFileProblem) => (
        <>
          <div>{message}</div>
          <Typography.Text code className="pointer" aria-label={t.problems.pointer}>
            {p.pointer}
          </Typography.Text>
        </>
      ),
    },
  ];
  return (
    <Table<RuleFileProblem>
      size="small"
      rowKey={(p, i) => `${p.pointer}#${i}`}
      aria-label={caption}
      pagination={false}
      columns={columns}
      dataSource={problems}
    />
  );
}
