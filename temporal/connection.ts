import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { AppConfig } from '../platform/config-schema.js';
import { ConfigError } from '../platform/config-error.js';

export interface TemporalTarget {
  address: string;
  namespace: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

/** The Temporal cluster these settings point at; `address` is the embedded dev server unless TEMPORAL_ADDRESS is set. */
export function temporalTarget(config: AppConfig, address = config.TEMPORAL_ADDRESS): TemporalTarget {
  if (!address) throw new ConfigError('TEMPORAL_ADDRESS is not set and no embedded Temporal server is running');
  return { address, namespace: config.TEMPORAL_NAMESPACE, tls: tlsOptions(config), apiKey: config.TEMPORAL_API_KEY };
}

function tlsOptions(config: AppConfig): TLSConfig | boolean | undefined {
  const files = {
    cert: config.TEMPORAL_TLS_CERT_PATH,
    key: config.TEMPORAL_TLS_KEY_PATH,
    ca: config.TEMPORAL_TLS_CA_PATH,
  };
  const wantsTls = config.TEMPORAL_TLS || files.cert || files.ca || config.TEMPORAL_API_KEY;
  if (!wantsTls) return undefined;
  const read = (file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`);
    }
  };
  const tls: TLSConfig = {};
  if (config.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = config.TEMPORAL_TLS_SERVER_NAME;
  if (files.ca) tls.serverRootCACertificate = read(files.ca);
  if (files.cert && files.key) tls.clientCertPair = { crt: read(files.cert), key: read(files.key) };
  return Object.keys(tls).length > 0 ? tls : true;
}

/** A client connection that fails with one clear line when the cluster cannot be reached. */
export async function connectClient(target: TemporalTarget, timeoutMs = 10_000): Promise<Client> {
  try {
    const connection = await Connection.connect({
      address: target.address,
      tls: target.tls,
      apiKey: target.apiKey,
      connectTimeout: timeoutMs,
    });
    await connection.workflowService.describeNamespace({ namespace: target.namespace });
    return new Client({ connection, namespace: target.namespace });
  } catch (error) {
    throw unreachable(target, error);
  }
}

export async function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect({ address: target.address, tls: target.tls, apiKey: target.apiKey });
  } catch (error) {
    throw unreachable(target, error);
  }
}

function unreachable(target: TemporalTarget, error: unknown): ConfigError {
  if (error instanceof ConfigError) return error;
  const reason = ((error as Error).message ?? String(error)).split('\n')[0];
  return new ConfigError(`cannot reach Temporal at ${target.address} (namespace ${target.namespace}): ${reason}`);
}
