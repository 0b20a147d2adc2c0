// The HTTP service load test lives with the service (scripts/load/service-load.ts);
// this hook runs it when it exists and files its figures with the others.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Metric, Suite } from '../context.ts';
import { PROJECT_ROOT } from '../../../lib/project-root.ts';

export const SERVICE_LOAD_PATH = join(PROJECT_ROOT, 'scripts/load/service-load.ts');

export function serviceLoadAvailable(): boolean {
  return existsSync(SERVICE_LOAD_PATH);
}

export const serviceSuite: Suite = {
  name: 'service',
  describe: 'HTTP service under load (scripts/load/service-load.ts), when present',
  async run(context) {
    if (!serviceLoadAvailable()) throw new Error(`the service suite needs ${SERVICE_LOAD_PATH}, which does not exist yet`);
    context.progress('service load (scripts/load/service-load.ts)');
    const module = (await import(pathToFileURL(SERVICE_LOAD_PATH).href)) as {
      runServiceLoad(options: { quick: boolean }): Promise<Record<string, number | string>>;
    };
    const figures = await module.runServiceLoad({ quick: context.size !== 'full' });
    const metrics: Record<string, Metric> = {};
    for (const [name, value] of Object.entries(figures)) {
      // Units come from the name's suffix when it has one (…Ms, …Us, …Rate, …Percent).
      const unit = /ms$/i.test(name)
        ? 'ms'
        : /us$/i.test(name)
          ? 'us'
          : /(rate|percent)$/i.test(name)
            ? '%'
            : typeof value === 'string'
              ? 'text'
              : 'count';
      metrics[`service.${name}`] = { value, unit };
    }
    return { measurements: [], checks: [], metrics, findings: { figures } };
  },
};
