// The HTTP service under load: scripts/load/service-load.ts runs it (also on its own, as
// `npm run load`); this suite files its figures with the others.
import type { Metric, Suite } from '../context.ts';
import { runServiceLoad } from '../../load/service-load.ts';

export const serviceSuite: Suite = {
  name: 'service',
  describe: 'HTTP service under load (scripts/load/service-load.ts)',
  async run(context) {
    context.progress('service load (scripts/load/service-load.ts)');
    const figures = await runServiceLoad({ quick: context.size !== 'full' });
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
