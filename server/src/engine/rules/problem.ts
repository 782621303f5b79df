/**
 * Why a rule definition cannot be compiled. `field` names the offending part (e.g.
 * `condition.thresholdPercent`), so the rules module can map it to a validation error of the
 * contract without the engine knowing the ErrorCode catalogue.
 */
export class RuleProblem extends Error {
  override readonly name = 'RuleProblem';

  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}
