import 'reflect-metadata';
import { ConfigurationError, validateEnvironment } from '../config/environment';

describe('validateEnvironment', () => {
  it('loads the demo on the default local SQLite file only, unless JIPING_DEMO says otherwise', () => {
    expect(validateEnvironment({}).JIPING_DEMO).toBe('true');
    expect(validateEnvironment({ DB_PATH: './data/jiping.sqlite' }).JIPING_DEMO).toBe('true');
    expect(validateEnvironment({ DB_PATH: '/srv/jiping/jiping.sqlite' }).JIPING_DEMO).toBe('false');
    expect(validateEnvironment({ DB_TYPE: 'mysql', DB_URL: 'mysql://root@127.0.0.1:3306/jiping' }).JIPING_DEMO).toBe(
      'false',
    );
    expect(
      validateEnvironment({ DB_TYPE: 'mysql', DB_URL: 'mysql://root@127.0.0.1:3306/jiping', JIPING_DEMO: 'true' })
        .JIPING_DEMO,
    ).toBe('true');
    expect(validateEnvironment({ JIPING_DEMO: 'false' }).JIPING_DEMO).toBe('false');
  });

  it('listens on 127.0.0.1 unless HOST says otherwise', () => {
    expect(validateEnvironment({}).HOST).toBe('127.0.0.1');
    expect(validateEnvironment({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(validateEnvironment({ HOST: '::' }).HOST).toBe('::');
  });

  it('names every problem in one Chinese line, secrets hidden', () => {
    let error: unknown;
    try {
      validateEnvironment({ PORT: '70000', JIPING_DEMO: 'yes', HOST: 'a b', JIPING_BOOTSTRAP_ADMIN_KEY: '' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).problems).toEqual([
      '配置项 PORT 的值“70000”无效：应为 1 到 65535 之间的整数端口号',
      '配置项 HOST 的值“a b”无效：应为监听地址：IP 地址或主机名，如 127.0.0.1（仅本机）或 0.0.0.0（所有网卡）',
      '缺少配置项 JIPING_BOOTSTRAP_ADMIN_KEY：应为非空的密钥',
      '配置项 JIPING_DEMO 的值“yes”无效：应为 true 或 false（不设置时仅在默认的本地 SQLite 文件上加载演示数据）',
    ]);
  });
});
