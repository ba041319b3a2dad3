/** Error code → 中文 (the API's own message stays in 技术信息). */
export const PROBLEM_TEXT: Record<string, { title: string; hint: string }> = {
  UNAUTHORIZED: { title: '登录已失效', hint: '请重新输入密钥登录。' },
  FORBIDDEN: { title: '无权访问', hint: '当前角色不能查看或办理此项；如需权限，请联系财政局管理员。' },
  NOT_FOUND: { title: '未找到', hint: '要查看的内容不存在，或已被移除。' },
  VALIDATION_FAILED: { title: '内容有误，未保存', hint: '请按下列提示修改后重试。' },
  CONFLICT: { title: '操作与当前状态冲突', hint: '内容可能已被他人修改，请刷新后重试。' },
  RATE_LIMITED: { title: '请求过于频繁', hint: '请稍候再试。' },
  TOO_MANY_REQUESTS: { title: '请求过于频繁', hint: '请稍候再试。' },
  SERVICE_UNAVAILABLE: { title: '服务暂时不可用', hint: '服务器正忙或正在维护，请稍后重试。' },
  REQUEST_TIMEOUT: { title: '请求超时', hint: '服务器处理时间过长，请稍后重试。' },
  NETWORK: { title: '无法连接服务器', hint: '请检查网络后重试。' },
  INTERNAL: { title: '系统出现错误', hint: '请稍后重试；如仍失败，请把错误代码告知管理员。' },
  CLIENT: { title: '页面出现错误', hint: '请刷新页面后重试；如仍失败，请把技术信息告知管理员。' },
};

export function problemText(code: string, status: number): { title: string; hint: string } {
  if (PROBLEM_TEXT[code]) return PROBLEM_TEXT[code];
  if (status === 401) return PROBLEM_TEXT.UNAUTHORIZED;
  if (status === 403) return PROBLEM_TEXT.FORBIDDEN;
  if (status === 404) return PROBLEM_TEXT.NOT_FOUND;
  if (status === 409) return PROBLEM_TEXT.CONFLICT;
  if (status === 422 || status === 400) return PROBLEM_TEXT.VALIDATION_FAILED;
  if (status === 429) return PROBLEM_TEXT.RATE_LIMITED;
  if (status === 503) return PROBLEM_TEXT.SERVICE_UNAVAILABLE;
  return PROBLEM_TEXT.INTERNAL;
}
