import type { PaginationProps } from 'antd';
import { cloneElement, isValidElement, type ReactElement } from 'react';

const LABELS: Partial<Record<string, string>> = {
  prev: '上一页',
  next: '下一页',
  'jump-prev': '向前 5 页',
  'jump-next': '向后 5 页',
};

/**
 * Pagination buttons named in Chinese: antd's 上一页/下一页 buttons hold only an arrow icon whose label is English
 * (left, right), which is what a screen reader announces. Use as `pagination={{ itemRender: chineseItemRender }}`.
 */
export const chineseItemRender: NonNullable<PaginationProps['itemRender']> = (_page, type, original) => {
  const label = LABELS[type];
  if (!label || !isValidElement(original)) return original;
  return cloneElement(original as ReactElement<{ 'aria-label'?: string }>, { 'aria-label': label });
};
