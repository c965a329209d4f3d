import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../platform/config-error.js';
import { loadConfig } from '../../platform/load-config.js';

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.API_PORT).toBe(3000);
    expect(config.TEMPORAL_UI_PORT).toBe(8233);
    expect(config.TEMPORAL_NAMESPACE).toBe('default');
  });

  it('treats empty strings as unset for the production switches', () => {
    const config = loadConfig({ DATABASE_URL: '', TEMPORAL_ADDRESS: '  ' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('accepts production settings', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://app:secret@db.internal:5432/voice',
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS: 'true',
      API_PORT: '8080',
    });
    expect(config.DATABASE_URL).toBe('postgresql://app:secret@db.internal:5432/voice');
    expect(config.TEMPORAL_ADDRESS).toBe('temporal.internal:7233');
    expect(config.TEMPORAL_TLS).toBe(true);
    expect(config.API_PORT).toBe(8080);
  });

  it('names every bad setting in one error', () => {
    let error: unknown;
    try {
      loadConfig({ API_PORT: 'abc', DATABASE_URL: 'mysql://x', TEMPORAL_ADDRESS: 'no-port' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    for (const key of ['API_PORT', 'DATABASE_URL', 'TEMPORAL_ADDRESS']) expect(message).toContain(key);
  });

  it('wants a TLS client certificate and its key together', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/etc/temporal/client.pem' })).toThrow(
      'invalid configuration: TEMPORAL_TLS_KEY_PATH: TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together',
    );
  });
});
