import fc from 'fast-check';
import { DEMO_GZ_KJJ_2021, DEMO_RULE_FILES } from '../../apps/api/src/bootstrap/demo/demo';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

/**
 * No input earns a 500: for generated requests to every operation of the OpenAPI document — path parameters,
 * queries and bodies built from each operation's schema and then spoiled, the shipped rule file and the demo's
 * submission and targets mutated at random places, plain random JSON — the answer is 2xx or 4xx, and every 4xx is
 * the error shape (application/problem+json with statusCode, code, message, details[{pointer, message}]).
 *
 * FUZZ_RUNS sets the cases per operation and database (default 40), FUZZ_ENGINE_RUNS those of the five operations that
 * take rule files, submissions (kept or estimated) and scenarios (default 500): about 4,500 requests per database. FUZZ_ONLY (a regular
 * expression over "post /what-if"…) narrows the operations; fast-check prints the seed of a failure and FUZZ_SEED
 * replays it.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** The operations that take rule files, submissions and scenarios get more: where the engine's own checks are. */
const ENGINE_RUNS = Number(process.env.FUZZ_ENGINE_RUNS ?? 500);
const ENGINE_OPERATIONS =
  /^(post \/rule-sets|post \/rule-sets\/validate|post \/departments\/\{code\}\/years\/\{year\}\/submissions(\/estimate)?|post \/what-if)$/;
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
jest.setTimeout(900_000);

// generated requests are JSON built field by field: untyped on purpose
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ADMIN = 'demo-admin-key';
const KEYS = [
  ...Array<string>(5).fill('demo-admin-key'),
  ...Array<string>(2).fill('demo-evaluator-key'),
  ...Array<string>(2).fill('demo-gz-kjj-key'),
  undefined,
  'no-such-key',
];
const RULE_FILE = DEMO_RULE_FILES[0].content as Json;
const FUZZ_DEPARTMENT = 'gz-fuzz';

/** Values that broke services before, or might: huge, tiny, odd numbers, prototype names, deep or long text. */
const nasty: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    1e308,
    -0,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    ' ',
    '0',
    '-0.00',
    '99999999999999999999.99',
    '1e400',
    'NaN',
    'Infinity',
    '0x10',
    '12.345678901234567890',
    '__proto__',
    'constructor',
    'toString()',
    'valueOf(a, b)',
    '../../etc/passwd',
    '%00',
    '\u0000',
    '𠀀𠀀',
    '广州市科学技术局',
    '2021-02-30T25:61:00Z',
    [],
    {},
    JSON.parse('{"__proto__":{"polluted":true}}'),
    { constructor: { prototype: { polluted: true } } },
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.constant('长'.repeat(70_000)),
  fc.nat(60).map((depth) => nest(depth)),
  fc.jsonValue({ maxDepth: 3 }),
);

function nest(depth: number): Json {
  let value: Json = 'x';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Every JSON path in a value (objects and arrays), the value itself included as []. */
function pathsOf(value: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  if (prefix.length > 0) out.push(prefix); // the whole document is replaced by random JSON elsewhere
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value))
      pathsOf(value[key], [...prefix, Array.isArray(value) ? Number(key) : key], out);
  }
  return out;
}

type Mutation = { path: Array<string | number>; kind: 'set' | 'delete' | 'duplicate'; value: Json };

function applyMutation(root: Json, { path, kind, value }: Mutation): Json {
  if (path.length === 0) return kind === 'set' ? value : root;
  const copy = structuredClone(root);
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path[path.length - 1];
  if (kind === 'set') parent[last] = value;
  else if (kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (Array.isArray(parent)) parent.push(structuredClone(parent[last as number]));
  else parent[`${String(last)}_copy`] = structuredClone(parent[last]);
  return copy;
}

/** A valid document spoiled at one to three random places. */
function mutated(seed: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(seed);
  const mutation = fc.record({
    path: fc.constantFrom(...paths),
    kind: fc.constantFrom<Mutation['kind']>('set', 'set', 'set', 'delete', 'duplicate'),
    value: nasty,
  });
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => mutations.reduce(safeApply, seed));
}

function safeApply(doc: Json, mutation: Mutation): Json {
  try {
    return applyMutation(doc, mutation);
  } catch {
    return doc; // an earlier mutation removed the path
  }
}

/** A value of an OpenAPI schema (valid most of the time), every field of which may be spoiled. */
function fromSchema(schema: Json, doc: Json, depth = 0): fc.Arbitrary<Json> {
  if (!schema || depth > 5) return nasty;
  if (schema.$ref) return fromSchema(doc.components.schemas[schema.$ref.split('/').pop()], doc, depth + 1);
  const alternatives = schema.oneOf ?? schema.anyOf ?? schema.allOf;
  if (alternatives) return fc.oneof(...alternatives.map((s: Json) => fromSchema(s, doc, depth + 1)));
  const valid = ((): fc.Arbitrary<Json> => {
    if (schema.example !== undefined) return fc.oneof(fc.constant(schema.example), nasty);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    switch (schema.type) {
      case 'object': {
        const properties: Record<string, fc.Arbitrary<Json>> = {};
        for (const [name, property] of Object.entries<Json>(schema.properties ?? {})) {
          properties[name] = fromSchema(property, doc, depth + 1);
        }
        return fc.record(properties, { requiredKeys: schema.required ?? [] });
      }
      case 'array':
        return fc.array(fromSchema(schema.items, doc, depth + 1), { maxLength: 4 });
      case 'integer':
        return fc.oneof(fc.integer({ min: -5, max: 3000 }), fc.constantFrom(2021, 1, 0));
      case 'number':
        return fc.double({ noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'string':
        if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
        return fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('gz-kjj', '2021', 'admin', 'department'));
      default:
        return nasty;
    }
  })();
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: nasty });
}

/** Known values of path parameters, so that requests reach the service behind them; or anything. */
function pathValue(name: string, known: Record<string, string[]>): fc.Arbitrary<string> {
  const odd = fc.oneof(
    fc.string({ minLength: 1, maxLength: 30 }),
    fc.constantFrom('0', '-1', '99999999999999999999', '2021.5', '__proto__', 'constructor', '%', '..', 'GZ_KJJ'),
  );
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(known[name] ?? ['x'])) }, { weight: 1, arbitrary: odd });
}

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  body?: fc.Arbitrary<Json>;
  query: string[];
}

/** The operations of the OpenAPI document, each with what to send. */
function operations(doc: Json): Operation[] {
  const seeds: Array<[RegExp, () => fc.Arbitrary<Json>]> = [
    [/^(post \/rule-sets|put \/rule-sets\/\{ref\}|post \/rule-sets\/validate)$/, () => mutated(RULE_FILE)],
    [/submissions(\/estimate)?$/, () => mutated(DEMO_GZ_KJJ_2021.submission)],
    [/targets$/, () => mutated({ ruleSetId: DEMO_RULE_FILES[0].id, targets: DEMO_GZ_KJJ_2021.targets as Json })],
    [
      /^post \/what-if$/,
      () =>
        fc.oneof(
          mutated({
            department: 'gz-kjj',
            year: 2021,
            base: 'latest',
            changes: [
              { pointer: '/inputs/procurementActual', value: '1643.42' },
              { pointer: '/inputs/budgetPreparation/preAssessment/met', value: true },
            ],
          }),
          mutated({ department: 'gz-kjj', year: 2021, ruleSet: RULE_FILE }),
        ),
    ],
  ];
  const list: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      const key = `${method} ${path}`;
      const json = op.requestBody?.content?.['application/json'];
      const seed = seeds.find(([pattern]) => pattern.test(key));
      const examples = Object.values<Json>(json?.examples ?? {}).map((e) => e.value);
      const body = !op.requestBody
        ? undefined
        : fc.oneof(
            { weight: 3, arbitrary: seed ? seed[1]() : fromSchema(json?.schema, doc) },
            {
              weight: examples.length ? 2 : 0,
              arbitrary: examples.length ? fc.constantFrom(...examples).chain(mutated) : nasty,
            },
            { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
          );
      const query = (op.parameters ?? []).filter((p: Json) => p.in === 'query').map((p: Json) => p.name);
      list.push({ method: method as Operation['method'], path, body, query });
    }
  }
  return list;
}

/** The error shape, checked whole. */
function expectErrorShape(status: number, headers: Record<string, string>, body: Json, what: string): void {
  const problems: string[] = [];
  if (!/^application\/problem\+json/.test(headers['content-type'] ?? '')) problems.push('not problem+json');
  if (body?.statusCode !== status || body?.status !== status) problems.push('statusCode/status');
  if (typeof body?.code !== 'string' || typeof body?.message !== 'string' || body.message === '')
    problems.push('code/message');
  if (typeof body?.requestId !== 'string' || body.requestId === '') problems.push('requestId');
  if (
    !Array.isArray(body?.details) ||
    !body.details.every((d: Json) => typeof d?.pointer === 'string' && typeof d?.message === 'string')
  ) {
    problems.push('details');
  }
  if (problems.length > 0)
    throw new Error(
      `${what}: ${status} without the error shape (${problems.join(', ')}): ${JSON.stringify(body).slice(0, 500)}`,
    );
}

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('fuzz on %s: never a 500', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  let doc: Json;
  const known: Record<string, string[]> = {};

  beforeAll(async () => {
    database = await makeDatabase();
    if (!database) return;
    t = await createTestApp(database, { JIPING_DEMO: 'true', INLINE_RULES_TIMEOUT_MS: '20000' });
    doc = (await t.http().get('/docs-json').expect(200)).body;
    const admin = bearer(ADMIN);
    // a department whose year is open, so that submissions reach the engine's checks
    await t
      .http()
      .post('/departments')
      .set(admin)
      .send({ code: FUZZ_DEPARTMENT, name: '模糊测试局', region: '广州市' })
      .expect(201);
    await t
      .http()
      .put(`/departments/${FUZZ_DEPARTMENT}/years/2021/targets`)
      .set(admin)
      .send({ ruleSetId: DEMO_RULE_FILES[0].id, targets: DEMO_GZ_KJJ_2021.targets })
      .expect(200);
    await t.http().post(`/departments/${FUZZ_DEPARTMENT}/years/2021/targets/1/approve`).set(admin).send({}).expect(200);
    const latest = await t.http().get('/departments/gz-kjj/years/2021/evaluations/latest').set(admin).expect(200);
    // a person of its own to change, disable and take keys from: the demo's people keep theirs
    const person = await t
      .http()
      .post('/users')
      .set(admin)
      .send({ name: '模糊测试员', role: 'department', departmentCode: FUZZ_DEPARTMENT })
      .expect(201);
    const key = await t.http().post(`/users/${person.body.id}/api-keys`).set(admin).send({ name: '测试' }).expect(201);
    Object.assign(known, {
      code: ['gz-kjj', FUZZ_DEPARTMENT, FUZZ_DEPARTMENT], // its year is open: submissions reach the engine
      year: ['2021', '2021', '2022'],
      revision: ['1', '2'],
      ref: [
        'guangzhou-department-overall:2021:1',
        'guangzhou-department-overall:2021:published',
        'guangzhou-department-overall:2021:2',
      ],
      id: [latest.body.id, person.body.id, key.body.id],
    });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('every operation answers 2xx or 4xx in the error shape', async () => {
    if (!database) return; // mysqlDatabase() said why (and fails instead when CI=true)
    const started = Date.now();
    let requests = 0;
    const statuses: Record<string, number> = {};
    const only = process.env.FUZZ_ONLY === undefined ? undefined : new RegExp(process.env.FUZZ_ONLY);
    for (const op of operations(doc).filter((o) => !only || only.test(`${o.method} ${o.path}`))) {
      const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const request = fc.record({
        params: fc.tuple(...names.map((name) => pathValue(name, known))),
        query: fc.dictionary(
          fc.constantFrom(...(op.query.length ? op.query : ['x'])),
          fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('true', '2021', '-1', 'published')),
          { maxKeys: 3 },
        ),
        body: op.body ?? fc.constant(undefined),
        key: fc.constantFrom(...KEYS),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ params, query, body, key }) => {
          requests++;
          let url = op.path;
          names.forEach((name, i) => (url = url.replace(`{${name}}`, encodeURIComponent(params[i]))));
          let call = t.http()[op.method](url).query(query);
          if (key) call = call.set('Authorization', `Bearer ${key}`);
          if (body !== undefined) call = call.set('Content-Type', 'application/json').send(JSON.stringify(body));
          const res = await call;
          const tally = `${process.env.FUZZ_VERBOSE ? `${op.method} ${op.path} ` : ''}${res.status}${res.status >= 400 ? ` ${res.body?.code}` : ''}`;
          statuses[tally] = (statuses[tally] ?? 0) + 1;
          const what = `${op.method.toUpperCase()} ${url}`;
          if (res.status >= 500) {
            throw new Error(
              `${what} answered ${res.status}: ${res.text.slice(0, 800)}\nbody: ${JSON.stringify(body)?.slice(0, 800)}`,
            );
          }
          if (res.status >= 400) expectErrorShape(res.status, res.headers, res.body, what);
        }),
        {
          numRuns: ENGINE_OPERATIONS.test(`${op.method} ${op.path}`) ? ENGINE_RUNS : RUNS,
          seed: SEED,
          endOnFailure: true,
        },
      );
    }
    console.log(
      `fuzz on ${_kind}: ${requests} requests in ${Math.round((Date.now() - started) / 1000)} s, by status ${JSON.stringify(statuses)}`,
    );
  });
});
