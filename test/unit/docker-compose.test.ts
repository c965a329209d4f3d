import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { configKeys, configSchema } from '../../platform/config-schema.js';
import { POCKETSPHINX_WHEEL } from '../../providers/stt/pocketsphinx-install.js';

interface ComposeService {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  volumes?: string[];
}

// docker compose itself cannot run here (no Docker engine); check the file's consistency instead.
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;
const roles = ['api', 'worker', 'gateway'] as const;

describe('docker-compose.yml', () => {
  it('has every production service', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['alloy', 'api', 'gateway', 'grafana', 'loki', 'migrate', 'postgresql', 'prometheus', 'temporal', 'temporal-ui', 'worker'].sort(),
    );
  });

  it('builds one image for the roles and selects the role by command', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "--import", "tsx", "main.ts"\]/);
    for (const role of roles) {
      expect(services[role]!.build).toBe('.');
      expect(services[role]!.command).toEqual(['--role', role]);
    }
    expect(services.migrate!.build).toBe('.');
    expect(existsSync(services.migrate!.entrypoint![3]!)).toBe(true);
  });

  it('gives the image the no-key voice and recogniser, pinned as the gateway pins them', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile).toMatch(/apt-get install[^\n]*espeak-ng/);
    expect(dockerfile).toContain(`--target /app/.speech ${POCKETSPHINX_WHEEL}`);
  });

  it('pins every image', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.image) continue;
      expect([name, service.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:(?!latest$)[\w.-]+$/)]);
    }
  });

  it('gives the roles only settings the app knows, and valid ones', () => {
    for (const role of [...roles, 'migrate'] as const) {
      const env = services[role]!.environment!;
      for (const key of Object.keys(env)) expect([role, key, configKeys.includes(key as never)]).toEqual([role, key, true]);
      const parsed = configSchema.safeParse(env);
      expect([role, parsed.success ? 'valid' : parsed.error.message]).toEqual([role, 'valid']);
    }
  });

  it('points the roles at the compose PostgreSQL and Temporal, on their ports', () => {
    const pgUser = services.postgresql!.environment!;
    for (const role of [...roles, 'migrate'] as const) {
      const env = configSchema.parse(services[role]!.environment);
      const db = new URL(env.DATABASE_URL!);
      expect([role, db.hostname, db.port, decodeURIComponent(db.username), db.pathname]).toEqual([
        role,
        'postgresql',
        '5432',
        pgUser.POSTGRES_USER,
        `/${pgUser.POSTGRES_DB}`,
      ]);
      if (role !== 'migrate') expect([role, env.TEMPORAL_ADDRESS]).toEqual([role, 'temporal:7233']);
    }
    expect(services.temporal!.ports).toContain('7233:7233');
    expect(services.temporal!.environment!.POSTGRES_SEEDS).toBe('postgresql');
    expect(services['temporal-ui']!.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('publishes the api and gateway on the ports they listen on, bound to all interfaces', () => {
    const api = configSchema.parse(services.api!.environment);
    const gateway = configSchema.parse(services.gateway!.environment);
    expect(services.api!.ports).toEqual([`${api.API_PORT}:${api.API_PORT}`]);
    expect(services.gateway!.ports).toEqual([`${gateway.GATEWAY_PORT}:${gateway.GATEWAY_PORT}`]);
    expect(api.HOST).toBe('0.0.0.0');
    expect(gateway.HOST).toBe('0.0.0.0');
  });

  it('depends only on services that exist, and starts roles after migrations', () => {
    for (const [name, service] of Object.entries(services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect([name, dep, dep in services]).toEqual([name, dep, true]);
    }
    for (const role of roles) {
      expect((services[role]!.depends_on as Record<string, { condition: string }>).migrate).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  it('mounts configuration files that exist, and scrapes services that exist', () => {
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./')) expect([source, existsSync(source)]).toEqual([source, true]);
      }
    }
    const prometheus = parse(readFileSync('observability/prometheus.yml', 'utf8')) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    const targets = prometheus.scrape_configs.flatMap((job) => job.static_configs.flatMap((config) => config.targets));
    for (const target of targets) expect([target, target.split(':')[0]! in services]).toEqual([target, true]);
  });

  it("scrapes each role's /metrics on the port it serves them, and ships logs to Loki", () => {
    const prometheus = parse(readFileSync('observability/prometheus.yml', 'utf8')) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
    const targets = prometheus.scrape_configs.find((job) => job.job_name === 'voice-platform')!.static_configs.flatMap((config) => config.targets);
    const env = (role: string) => configSchema.parse(services[role]!.environment);
    expect(targets.sort()).toEqual([`api:${env('api').API_PORT}`, `gateway:${env('gateway').GATEWAY_PORT}`, `worker:${env('worker').WORKER_METRICS_PORT}`].sort());
    expect(env('worker').HOST).toBe('0.0.0.0');
    expect(readFileSync('observability/alloy.config', 'utf8')).toContain('http://loki:3100/loki/api/v1/push');
  });

  it('has a Grafana dashboard whose queries use metrics the platform serves, on provisioned data sources', () => {
    const dashboard = JSON.parse(readFileSync('observability/grafana/dashboards/voice-platform.json', 'utf8')) as {
      panels: { title: string; datasource: { uid: string }; targets: { expr: string }[] }[];
    };
    const datasources = parse(readFileSync('observability/grafana/provisioning/datasources/datasources.yaml', 'utf8')) as { datasources: { uid: string }[] };
    const uids = datasources.datasources.map((source) => source.uid);
    const ours = readFileSync('platform/metrics.ts', 'utf8');
    for (const panel of dashboard.panels) {
      expect([panel.title, uids.includes(panel.datasource.uid)]).toEqual([panel.title, true]);
      for (const { expr } of panel.targets) {
        for (const [name] of expr.matchAll(/\bvoice_[a-z_]+/g)) {
          const base = name.replace(/_(bucket|sum|count)$/, '');
          expect([panel.title, base, ours.includes(`'${base}'`)]).toEqual([panel.title, base, true]);
        }
      }
    }
  });
});
