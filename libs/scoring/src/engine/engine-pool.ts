import { Engine, type EngineResult, type RuleProperties } from 'json-rules-engine';
import { localized } from '@jiping/rules';
import { ScoringError, ScoringErrorCode } from '../scoring.error';
import { DECIMAL_OPERATORS } from './decimal-operators';

const MAX_IDLE = 32;

/**
 * Idle json-rules-engine Engines for one set of rules. An Engine keeps its run status on itself: when one `run`
 * finishes it marks the Engine finished and other runs still in flight on it skip their remaining priority sets
 * and return wrong results. So an Engine serves one run at a time: taken from the pool for a run, returned after.
 */
export class EnginePool {
  private readonly idle: Engine[] = [];

  constructor(private readonly rules: RuleProperties[]) {}

  async run(facts: Record<string, unknown>): Promise<EngineResult> {
    const engine = this.idle.pop() ?? this.create();
    try {
      return await engine.run(facts);
    } catch (error) {
      const reason = (error as Error).message;
      throw new ScoringError(
        ScoringErrorCode.ENGINE_FAILURE,
        localized(`规则引擎执行失败：${reason}`, `json-rules-engine failed: ${reason}`),
      );
    } finally {
      if (this.idle.length < MAX_IDLE) this.idle.push(engine);
    }
  }

  private create(): Engine {
    const engine = new Engine([], { allowUndefinedFacts: false });
    for (const operator of DECIMAL_OPERATORS) engine.addOperator(operator);
    for (const rule of this.rules) engine.addRule(rule);
    return engine;
  }
}
