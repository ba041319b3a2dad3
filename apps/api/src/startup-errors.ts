import { SqliteInUseError } from '@jiping/persistence';
import { ConfigurationError, type EnvironmentVariables } from '../../../config/environment';
import { RedisUnavailableError } from './jobs/job-queue';

/** Which step of the start failed: its errors are worded by what the operator can fix. */
export type StartupStep = 'configure' | 'start' | 'listen';

interface SystemError {
  code?: string;
  errno?: number | string;
  syscall?: string;
  address?: string;
  port?: number;
  path?: string;
  sqlMessage?: string;
  message?: string;
  driverError?: unknown;
  cause?: unknown;
}

/** The driver's own error inside TypeORM's wrappers. */
function root(error: unknown): SystemError {
  let current = error as SystemError;
  for (let depth = 0; depth < 4; depth++) {
    const inner = (current?.driverError ?? (current?.code ? undefined : current?.cause)) as SystemError | undefined;
    if (!inner || typeof inner !== 'object') break;
    current = inner;
  }
  return current ?? {};
}

/** host:port of DB_URL (never its user or password). */
function mysqlServer(env?: EnvironmentVariables): string {
  try {
    const url = new URL(env?.DB_URL ?? '');
    return `${url.hostname}:${url.port || '3306'}`;
  } catch {
    return 'DB_URL';
  }
}

function mysqlDatabase(env?: EnvironmentVariables): string {
  try {
    return decodeURIComponent(new URL(env?.DB_URL ?? '').pathname.slice(1)) || 'jiping';
  } catch {
    return 'jiping';
  }
}

/** The first line of a message, without a trailing period. */
const firstLine = (text: unknown): string =>
  String(text ?? '')
    .split('\n')[0]
    .trim();

/**
 * A failed start in the operator's words: one Chinese line per problem (what is wrong and what to do), never a
 * stack trace. main.ts prints them and exits with code 1.
 */
export function describeStartupError(error: unknown, step: StartupStep, env?: EnvironmentVariables): string[] {
  if (error instanceof ConfigurationError) return error.problems;
  if (error instanceof RedisUnavailableError) {
    return [
      `无法连接任务队列的 Redis ${error.server}：请确认 Redis 已启动、网络可达且 REDIS_URL 正确` +
        `（不设置 REDIS_URL 时任务在本进程内运行，只适用于单个实例）`,
    ];
  }
  if (error instanceof SqliteInUseError) {
    return [
      `SQLite 数据库文件 ${error.databasePath} 正被另一个 jiping 进程使用：SQLite 只供一个进程使用，` +
        `请先停止那个进程，或为本进程另设 DB_PATH；需要多个实例时请使用 MySQL（DB_TYPE=mysql）`,
    ];
  }
  const e = root(error);
  const code = e.code ?? '';
  if (step === 'listen' && env) {
    const where = `${env.HOST}:${env.PORT}`;
    if (code === 'EADDRINUSE')
      return [`端口 ${env.PORT} 已被占用（${where}）：请停止占用它的程序，或用 PORT 换一个端口`];
    if (code === 'EACCES') return [`没有权限监听 ${where}：请用 1024 以上的端口（PORT），或以有权限的用户运行`];
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return [`本机没有地址 ${env.HOST}（HOST）：请设为本机的 IP 地址，127.0.0.1（仅本机）或 0.0.0.0（所有网卡）`];
    }
    return [`无法监听 ${where}：${firstLine(e.message)}`];
  }
  if (env?.DB_TYPE === 'mysql') {
    const server = mysqlServer(env);
    switch (code) {
      case 'ECONNREFUSED':
        return [`无法连接 MySQL 数据库 ${server}（连接被拒绝）：请确认数据库已启动，且 DB_URL 中的主机和端口正确`];
      case 'ETIMEDOUT':
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return [`连接 MySQL 数据库 ${server} 超时：请确认网络可达、防火墙放行该端口，且 DB_URL 中的主机和端口正确`];
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return [`找不到 MySQL 数据库的主机 ${server.replace(/:\d+$/, '')}：请检查 DB_URL 中的主机名`];
      case 'ER_ACCESS_DENIED_ERROR':
      case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
        return [`MySQL 数据库 ${server} 拒绝登录：请检查 DB_URL 中的用户名和密码`];
      case 'ER_BAD_DB_ERROR':
        return [
          `MySQL 数据库 ${server} 上没有数据库“${mysqlDatabase(env)}”：请先创建它（CREATE DATABASE ` +
            `\`${mysqlDatabase(env)}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci），或改正 DB_URL`,
        ];
      case 'ER_DBACCESS_DENIED_ERROR':
      case 'ER_TABLEACCESS_DENIED_ERROR':
        return [`DB_URL 中的用户无权使用数据库“${mysqlDatabase(env)}”：请为该用户授权（GRANT ALL ON …）`];
      case 'ER_CON_COUNT_ERROR':
        return [`MySQL 数据库 ${server} 的连接数已满：请稍后重试，或调大数据库的 max_connections`];
      default:
        if (/^ER_|^PROTOCOL_/.test(code)) {
          return [`MySQL 数据库 ${server} 出错（${code}）：${firstLine(e.sqlMessage ?? e.message)}`];
        }
    }
  }
  const fileError = ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOENT', 'ENOSPC'].includes(code);
  if (env?.DB_TYPE === 'sqlite' && (code.startsWith('SQLITE_') || fileError)) {
    if (e.syscall === 'mkdir') {
      return [
        `无法创建 SQLite 数据库文件所在的文件夹 ${e.path ?? env.DB_PATH}（${code}）：请检查 DB_PATH 及其上级文件夹`,
      ];
    }
    if (code === 'SQLITE_CANTOPEN' || fileError) {
      return [`无法打开或创建 SQLite 数据库文件 ${env.DB_PATH}：请检查路径（DB_PATH）及所在文件夹的读写权限`];
    }
    if (code.startsWith('SQLITE_READONLY'))
      return [`SQLite 数据库文件 ${env.DB_PATH} 只读：请给运行 jiping 的用户写权限`];
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      return [`${env.DB_PATH} 不是可用的 SQLite 数据库文件（${code}）：请检查 DB_PATH，或从备份恢复`];
    }
    if (code.startsWith('SQLITE_BUSY')) {
      return [`SQLite 数据库文件 ${env.DB_PATH} 被其他程序锁定：请关闭正在使用它的程序后再启动`];
    }
    return [`SQLite 数据库 ${env.DB_PATH} 出错（${code}）：${firstLine(e.message)}`];
  }
  const name = (error as Error)?.name;
  if (name === 'MigrationError' || /migration/i.test(firstLine((error as Error)?.message))) {
    return [`数据库迁移失败：${firstLine((error as Error).message)}；数据库未被改动的部分保持原样，请修正后再启动`];
  }
  return [`启动失败：${firstLine((error as Error)?.message ?? error)}`];
}
