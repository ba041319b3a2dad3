/**
 * The facts a rule-set-level veto or cap (RuleFile.vetoes) may read, decided after every indicator is scored:
 *
 * | fact                           | value                                                                     |
 * | ------------------------------ | ------------------------------------------------------------------------- |
 * | `<inputId>`                    | a declared input, as leaf conditions read it                              |
 * | `total`                        | the total the scores give, rounded to the total's places, before any cap |
 * | `score:<code>`                 | the score of an indicator (leaf, group or declared section)              |
 * | `metric:<code>`                | a leaf's metric as scored (its display precision); null if not computed  |
 * | `status:<code>`                | a leaf's status: full, partial, zero, bonus, penalty, neutral, …         |
 * | `targetsMet:<section>`         | how many declared targets of a section are met                           |
 * | `targetsDeclared:<section>`    | how many targets a section declares                                      |
 * | `count:<input>`                | how many events an `events` input lists                                  |
 * | `count:<input>:<kind>`         | how many of them are of one kind                                         |
 */
export type VetoFact =
  | { kind: 'input'; id: string }
  | { kind: 'total' }
  | { kind: 'score' | 'metric' | 'status'; code: string }
  | { kind: 'targetsMet' | 'targetsDeclared'; section: string }
  | { kind: 'count'; input: string; eventKind?: string };

/** The fact a veto reads for the total. */
export const TOTAL_FACT = 'total';

/** The statuses a leaf can have (NodeStatus of a report). */
export const LEAF_STATUSES = [
  'full',
  'partial',
  'zero',
  'bonus',
  'penalty',
  'neutral',
  'not-applicable',
  'vetoed',
] as const;

/** Reads a veto condition's fact name; undefined when it has none of the forms above. */
export function parseVetoFact(fact: string): VetoFact | undefined {
  if (fact === TOTAL_FACT) return { kind: 'total' };
  const colon = fact.indexOf(':');
  if (colon < 0) return /^[a-z][A-Za-z0-9]*$/.test(fact) ? { kind: 'input', id: fact } : undefined;
  const head = fact.slice(0, colon);
  const rest = fact.slice(colon + 1);
  if (rest === '') return undefined;
  switch (head) {
    case 'score':
    case 'metric':
    case 'status':
      return { kind: head, code: rest };
    case 'targetsMet':
    case 'targetsDeclared':
      return { kind: head, section: rest };
    case 'count': {
      const [input, eventKind, ...more] = rest.split(':');
      if (more.length > 0 || eventKind === '') return undefined;
      return eventKind === undefined ? { kind: 'count', input } : { kind: 'count', input, eventKind };
    }
    default:
      return undefined;
  }
}

/** The forms of a veto's facts, for messages. */
export const VETO_FACT_FORMS =
  'total、score:<指标代码>、metric:<指标代码>、status:<指标代码>、targetsMet:<申报部分代码>、targetsDeclared:<申报部分代码>、count:<加减分事项填报项>[:<事项类型>] 或填报项 id';
export const VETO_FACT_FORMS_EN =
  'total, score:<code>, metric:<code>, status:<code>, targetsMet:<section>, targetsDeclared:<section>, count:<events input>[:<kind>] or an input id';
