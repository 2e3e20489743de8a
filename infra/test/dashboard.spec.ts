import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { metricsRegistry, metricsText } from '@simpul/service-kit';
import { INFRA } from './compose-file';

// The Grafana dashboard (infra/grafana/simpul-dashboard.json) queries only metrics Simpul exports.

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}

it('every metric a dashboard panel queries exists, and every Simpul metric is on the dashboard', async () => {
  const dashboard = JSON.parse(readFileSync(join(INFRA, 'grafana', 'simpul-dashboard.json'), 'utf8')) as Dashboard;
  await metricsText(); // registers the process metrics too
  const exported = new Set(metricsRegistry.getMetricsAsArray().map((metric) => metric.name));
  const queried = new Set(
    dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => [...target.expr.matchAll(/\b((?:simpul|process)_[a-z_]+?)(?:_bucket|_count|_sum)?(?=[{[\s)])/g)].map((m) => m[1]!))),
  );
  expect([...queried].filter((name) => !exported.has(name))).toEqual([]);
  expect([...exported].filter((name) => name.startsWith('simpul_') && !queried.has(name))).toEqual([]);
});
