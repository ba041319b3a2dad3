import { childPointer } from './json-pointer';
import { localized } from './localized';
import {
  ADJUSTMENT_METHODS,
  type IndicatorNode,
  isDeclaredNode,
  isGroupNode,
  type NotApplicablePolicy,
  type RuleFile,
} from './rule-file.types';
import type { RuleProblem } from './rule-set.error';

/** Whether a department may leave every leaf under a node 不适用 (so that the node itself may be 不适用). */
export function mayBeNotApplicable(node: IndicatorNode): boolean {
  if (isGroupNode(node)) return node.children.every(mayBeNotApplicable);
  if (isDeclaredNode(node)) return node.declared.allowNotApplicable === true;
  return node.allowNotApplicable === true;
}

/** The policy that redistributes the weight of a node's children marked 不适用: its own, else the rule set's. */
export function notApplicablePolicyOf(
  file: RuleFile,
  node: IndicatorNode | undefined,
): NotApplicablePolicy | undefined {
  const own = node && !('method' in node) ? node.notApplicable?.policy : undefined;
  return own ?? file.notApplicable?.policy;
}

/**
 * The 不适用 declarations of a rule file: every parent that may have a child marked 不适用 has a policy for it (its own
 * or the rule set's), a parent whose children may all be 不适用 has one above it, `total` is written only at the
 * rule-set level, and 加减分 is never 不适用.
 */
export function notApplicableProblems(file: RuleFile): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add = (pointer: string, zh: string, en: string): void => {
    problems.push({ pointer, message: localized(zh, en) });
  };
  const filePolicy = file.notApplicable?.policy;

  const visit = (node: IndicatorNode, pointer: string, parent: IndicatorNode | undefined, onTop: boolean): void => {
    const isLeaf = !isGroupNode(node) && !isDeclaredNode(node);
    if (!isLeaf && node.notApplicable?.policy === 'total') {
      add(
        childPointer(pointer, 'notApplicable', 'policy'),
        `“total”（总分按 实得分÷适用分值×总分 折算）只能写在规则集一级的 notApplicable；“${node.name}”可写 siblings 或 parent`,
        `"total" is a rule-set-level policy; "${node.name}" takes siblings or parent`,
      );
    }
    if (isLeaf && node.allowNotApplicable && (onTop || ADJUSTMENT_METHODS.has(node.method.type))) {
      add(
        childPointer(pointer, 'allowNotApplicable'),
        `“${node.name}”是加减分，不能标为不适用`,
        `"${node.name}" is a 加减分 and cannot be marked 不适用`,
      );
    }
    if (isDeclaredNode(node) && node.declared.allowNotApplicable && !notApplicablePolicyOf(file, node)) {
      add(
        childPointer(pointer, 'declared', 'allowNotApplicable'),
        `“${node.name}”申报的指标可标为不适用，须规定其分值如何处理：在本指标或规则集写 notApplicable.policy（siblings、parent 或 total）`,
        `declared rows of "${node.name}" may be 不适用: give a notApplicable.policy here or for the rule set`,
      );
    }
    if (mayBeNotApplicable(node)) {
      if (parent === undefined) {
        if (!filePolicy) {
          add(
            pointer,
            `“${node.name}”的下级指标都可标为不适用，它本身也可能不适用：须在规则集写 notApplicable.policy（siblings、parent 或 total）`,
            `every leaf under "${node.name}" may be 不适用: the rule set needs a notApplicable.policy`,
          );
        }
      } else if (!notApplicablePolicyOf(file, parent)) {
        add(
          pointer,
          isLeaf
            ? `“${node.name}”可标为不适用，须规定其分值如何处理：在上级“${parent.name}”或规则集写 notApplicable.policy（siblings、parent 或 total）`
            : `“${node.name}”的下级指标都可标为不适用，它本身也可能不适用：须在上级“${parent.name}”或规则集写 notApplicable.policy（siblings、parent 或 total）`,
          isLeaf
            ? `"${node.name}" may be 不适用: give a notApplicable.policy in "${parent.name}" or for the rule set`
            : `every leaf under "${node.name}" may be 不适用: give a notApplicable.policy in "${parent.name}" or for the rule set`,
        );
      }
    }
    if (isGroupNode(node)) {
      node.children.forEach((child, i) =>
        visit(child, childPointer(pointer, 'children', i), node, onTop || node.onTop === true),
      );
    }
  };
  file.indicators.forEach((node, i) =>
    visit(node, childPointer('/indicators', i), undefined, !isDeclaredNode(node) && node.onTop === true),
  );
  const inTotal = file.indicators.filter((node) => isDeclaredNode(node) || node.onTop !== true);
  if (inTotal.length > 0 && inTotal.every(mayBeNotApplicable)) {
    add(
      '/indicators',
      '所有计入总分的指标都可标为不适用：至少要有一项始终适用，总分才能折算',
      'every indicator counted in the total may be 不适用: at least one must always apply',
    );
  }
  return problems;
}
