import { loadConfig } from '../../src/config';

describe('operation limit settings', () => {
  it('defaults to the budgets documented in README, smallest for anonymous viewers', () => {
    const { operationLimits } = loadConfig({});
    expect(operationLimits.budgets).toEqual({
      anonymous: { tokens: 2000, depth: 6, rootFields: 5, aliases: 10, cost: 2000 },
      member: { tokens: 4000, depth: 8, rootFields: 10, aliases: 30, cost: 20000 },
      staff: { tokens: 8000, depth: 10, rootFields: 15, aliases: 50, cost: 50000 },
    });
    expect(operationLimits).toMatchObject({ maxRootMutations: 5, assumedListSize: 10 });
  });

  it('reads anonymous,member,staff triples', () => {
    const { operationLimits } = loadConfig({ LIMIT_MAX_COST: '100, 200,300', LIMIT_MAX_ROOT_MUTATIONS: '2' });
    expect([operationLimits.budgets.anonymous.cost, operationLimits.budgets.member.cost, operationLimits.budgets.staff.cost]).toEqual([100, 200, 300]);
    expect(operationLimits.maxRootMutations).toBe(2);
  });

  it.each(['100,200', '0,1,2', '1,2,x', '1,2,3,4'])('refuses LIMIT_MAX_DEPTH=%s with one line naming the variable', (value) => {
    expect(() => loadConfig({ LIMIT_MAX_DEPTH: value })).toThrow(
      'Invalid configuration: LIMIT_MAX_DEPTH must be three positive whole numbers: anonymous,member,staff',
    );
  });
});
