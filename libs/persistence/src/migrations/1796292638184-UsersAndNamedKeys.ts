import { createHash, randomUUID } from 'node:crypto';
import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/** The public demo keys, by hash, and the people the demo gives them to (an older demo database gets them too). */
const DEMO_PEOPLE: Record<string, { name: string; contact: string }> = {
  [sha256('demo-admin-key')]: { name: '陈静', contact: '广州市财政局信息中心 020-83120001' },
  [sha256('demo-evaluator-key')]: { name: '王立新', contact: '广州市财政局预算绩效管理处 020-83120002' },
  [sha256('demo-gz-kjj-key')]: { name: '刘洋', contact: '广州市科学技术局财务处 020-83120003' },
};

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * People, not shared keys (issue 12): the table app_user (name, contact, role, department, the OpenID Connect
 * subject of a person who signs in with the bureau's provider, disabled_at, last_seen_at); every API key belongs to a
 * user (api_key.user_id) and takes its role and department from it, and gains expires_at, last_used_at, revoked_at
 * and revoked_by; the audit log names the user (audit_log.actor_user_id).
 *
 * Existing keys keep working: each becomes a user of the key's name, role and department (keys with the same name,
 * role and department share one), then api_key.role and department_code are dropped. The demo's keys become its
 * people (陈静, 王立新, 刘洋). down() puts role and department_code back from the users.
 */
export class UsersAndNamedKeys1796292638184 implements MigrationInterface {
  name = 'UsersAndNamedKeys1796292638184';

  async up(queryRunner: QueryRunner): Promise<void> {
    const str = (name: string, length: number, isNullable = false) => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
    });
    const at = (name: string, isNullable = true) => ({ name, type: 'datetime', isNullable });
    await queryRunner.createTable(
      new Table({
        name: 'app_user',
        columns: [
          { ...str('id', 36), isPrimary: true },
          str('name', 100),
          str('contact', 200, true),
          str('role', 16),
          str('department_code', 64, true),
          str('oidc_subject', 255, true),
          at('created_at', false),
          str('created_by', 100, true),
          at('updated_at'),
          at('disabled_at'),
          at('last_seen_at'),
        ],
        indices: [
          { name: 'ix_app_user_department', columnNames: ['department_code'] },
          { name: 'uq_app_user_oidc_subject', columnNames: ['oidc_subject'], isUnique: true },
        ],
      }),
    );
    await queryRunner.addColumns('api_key', [
      new TableColumn(str('user_id', 36, true)),
      new TableColumn(at('expires_at')),
      new TableColumn(at('last_used_at')),
      new TableColumn(at('revoked_at')),
      new TableColumn(str('revoked_by', 100, true)),
    ]);

    // Every existing key becomes its own person (one per name, role and department).
    const keys = (await queryRunner.query(
      'SELECT id, name, role, department_code, key_hash, created_at, created_by FROM api_key ORDER BY created_at, id',
    )) as Array<{
      id: string;
      name: string;
      role: string;
      department_code: string | null;
      key_hash: string;
      created_at: Date | string;
      created_by: string | null;
    }>;
    const users = new Map<string, string>();
    for (const key of keys) {
      const demo = DEMO_PEOPLE[key.key_hash];
      const identity = demo ? `demo:${key.key_hash}` : JSON.stringify([key.name, key.role, key.department_code]);
      let userId = users.get(identity);
      if (!userId) {
        userId = randomUUID();
        users.set(identity, userId);
        await queryRunner.query(
          'INSERT INTO app_user (id, name, contact, role, department_code, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [
            userId,
            demo?.name ?? key.name,
            demo?.contact ?? null,
            key.role,
            key.department_code,
            key.created_at,
            key.created_by,
          ],
        );
      }
      await queryRunner.query('UPDATE api_key SET user_id = ? WHERE id = ?', [userId, key.id]);
    }
    await queryRunner.createIndex('api_key', new TableIndex({ name: 'ix_api_key_user', columnNames: ['user_id'] }));
    await queryRunner.dropColumns('api_key', ['role', 'department_code']);

    await queryRunner.addColumn('audit_log', new TableColumn(str('actor_user_id', 36, true)));
    await queryRunner.createIndex(
      'audit_log',
      new TableIndex({ name: 'ix_audit_log_actor_user', columnNames: ['actor_user_id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('audit_log', 'ix_audit_log_actor_user');
    await queryRunner.dropColumn('audit_log', 'actor_user_id');
    await queryRunner.addColumns('api_key', [
      new TableColumn({ name: 'role', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'department_code', type: 'varchar', length: '64', isNullable: true }),
    ]);
    const users = (await queryRunner.query('SELECT id, role, department_code FROM app_user')) as Array<{
      id: string;
      role: string;
      department_code: string | null;
    }>;
    for (const user of users) {
      await queryRunner.query('UPDATE api_key SET role = ?, department_code = ? WHERE user_id = ?', [
        user.role,
        user.department_code,
        user.id,
      ]);
    }
    await queryRunner.dropIndex('api_key', 'ix_api_key_user');
    await queryRunner.dropColumns('api_key', ['user_id', 'expires_at', 'last_used_at', 'revoked_at', 'revoked_by']);
    await queryRunner.dropTable('app_user');
  }
}
