// The rollback steps for one method, run as the runbook would run them (their exact SQL and
// parameters) on a clone, then read back through the service's own stage reader.
import pg from 'pg';
import { describe, expect, test } from '../harness/database.ts';
import { setDataLayerFlag } from '../../snippets/app/data-layer-switch.ts';
import { readStages, setMethodStage } from '../../snippets/rollout/method-rollout.ts';
import { readMethodStages, switchMethodToLegacy } from '../../runbooks/steps/method-stages.ts';
import { methodArgument } from '../../runbooks/logic/method-stages.ts';
import { DATA_LAYER_FLAG } from '../../snippets/app/data-layer-switch.ts';

describe('rolling back one method', () => {
  test('the write step puts one method on legacy and leaves the others where they were', async ({ database }) => {
    await setDataLayerFlag(database.db, 'legacy');
    await setMethodStage(database.db, 'getProduct', { stage: 'kysely' });
    await setMethodStage(database.db, 'listProducts', { stage: 'canary', percent: 10 });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { flag } = methodArgument('getProduct');
      await client.query(switchMethodToLegacy.sql, [flag]);
      const { rows } = await client.query(readMethodStages.sql, [DATA_LAYER_FLAG, `${DATA_LAYER_FLAG}:%`]);
      expect(rows.map((row) => `${row.key}=${row.value}`)).toEqual([
        'data_layer=legacy',
        'data_layer:getProduct=legacy',
        'data_layer:listProducts=canary:10',
      ]);
    } finally {
      await client.end();
    }
    const stages = await readStages(database.db);
    expect(stages.getProduct).toEqual({ stage: 'legacy' });
    expect(stages.listProducts).toEqual({ stage: 'canary', percent: 10 });
  });

  test('an unknown method name is refused with the list of valid ones', () => {
    expect(() => methodArgument('getProducts')).toThrow(/--method must be one of getProduct, listProducts, .*; got "getProducts"/);
    expect(() => methodArgument("x'; drop table products; --")).toThrow(/--method must be one of/);
  });
});
