import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Role } from '../api/types';
import { zhAdmin, zhAudit, zhPeople } from '../i18n/admin.zh-CN';
import { zhImpact } from '../i18n/impact.zh-CN';
import { zh } from '../i18n/zh-CN';

export interface AppRoute {
  /** Always under /app/: the API serves /departments, /rule-sets … at the root. */
  path: string;
  /** In the menu when set; the link for the current year. */
  menu?: string;
  menuPath?: (ctx: { year: number; departmentCode: string | null }) => string;
  roles: readonly Role[];
  page: LazyExoticComponent<ComponentType>;
}

/** The one route table: router, menu and guard. */
export const ROUTES: AppRoute[] = [
  {
    path: '/app/years/:year/overview',
    menu: zh.menu.overview,
    menuPath: ({ year }) => `/app/years/${year}/overview`,
    roles: ['evaluator', 'admin'],
    page: lazy(() => import('../features/overview/OverviewPage')),
  },
  {
    path: '/app/years/:year/departments/:code',
    roles: ['evaluator', 'admin', 'department'],
    page: lazy(() => import('../features/evaluation/ScoreTablePage')),
  },
  {
    path: '/app/years/:year/my/home',
    menu: zh.menu.departmentYear,
    menuPath: ({ year }) => `/app/years/${year}/my/home`,
    roles: ['department'],
    page: lazy(() => import('../features/department/YearPage')),
  },
  {
    path: '/app/years/:year/departments/:code/what-if',
    roles: ['evaluator', 'admin', 'department'],
    page: lazy(() => import('../features/what-if/WhatIfPage')),
  },
  {
    path: '/app/years/:year/my/targets',
    menu: zh.menu.targets,
    menuPath: ({ year }) => `/app/years/${year}/my/targets`,
    roles: ['department'],
    page: lazy(() => import('../features/targets/TargetsPage')),
  },
  {
    path: '/app/years/:year/my/submission',
    menu: zh.menu.submission,
    menuPath: ({ year }) => `/app/years/${year}/my/submission`,
    roles: ['department'],
    page: lazy(() => import('../features/department/SubmissionPage')),
  },
  {
    path: '/app/years/:year/my/results',
    menu: zh.menu.results,
    menuPath: ({ year }) => `/app/years/${year}/my/results`,
    roles: ['department'],
    page: lazy(() => import('../features/results/ResultsPage')),
  },
  {
    path: '/app/my/:year',
    roles: ['department'],
    page: lazy(() => import('../features/evaluation/MyYearPage')),
  },
  {
    path: '/app/rule-editor',
    menu: zh.menu.ruleEditor,
    menuPath: () => '/app/rule-editor',
    roles: ['admin'],
    page: lazy(() => import('../features/rule-editor/RuleEditorPage')),
  },
  {
    path: '/app/rule-sets',
    menu: zh.menu.ruleSets,
    menuPath: () => '/app/rule-sets',
    roles: ['admin'],
    page: lazy(() => import('../features/rule-sets/RuleSetsPage')),
  },
  {
    path: '/app/impact',
    menu: zhImpact.menu,
    menuPath: () => '/app/impact',
    roles: ['evaluator', 'admin'],
    page: lazy(() => import('../features/impact/ImpactPage')),
  },
  {
    path: '/app/impact/:ref',
    roles: ['evaluator', 'admin'],
    page: lazy(() => import('../features/impact/ImpactPage')),
  },
  {
    path: '/app/rule-editor/drafts/:ref',
    roles: ['admin'],
    page: lazy(() => import('../features/rule-editor/DraftEditorPage')),
  },
  {
    path: '/app/admin/departments',
    menu: zhAdmin.menu.departments,
    menuPath: () => '/app/admin/departments',
    roles: ['admin'],
    page: lazy(() => import('../features/admin/DepartmentsPage')),
  },
  {
    path: '/app/admin/people',
    menu: zhPeople.menu,
    menuPath: () => '/app/admin/people',
    roles: ['admin'],
    page: lazy(() => import('../features/admin/PeoplePage')),
  },
  {
    path: '/app/admin/audit',
    menu: zhAudit.menu,
    menuPath: () => '/app/admin/audit',
    roles: ['admin'],
    page: lazy(() => import('../features/admin/AuditPage')),
  },
];

/** Where a role starts. */
export function homePath(role: Role, year: number, departmentCode: string | null): string {
  void departmentCode;
  return role === 'department' ? `/app/years/${year}/my/home` : `/app/years/${year}/overview`;
}
