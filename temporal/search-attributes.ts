import { status as grpcStatus } from '@grpc/grpc-js';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { platformSearchAttributes } from '../domain/search-attributes.js';

// @temporalio/proto is CommonJS whose named exports Node's ESM loader cannot see.
const { temporal } = proto;
const indexedValueType: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  TEXT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** `--search-attribute` flags for `temporal server start-dev`. */
export function devServerSearchAttributeFlags(): string[] {
  return platformSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${key.type}`]);
}

/**
 * Registers the platform's search attributes on a namespace that lacks them; returns
 * the names it added. A cluster that forbids it (Temporal Cloud registers them in its
 * console) is reported, not fatal.
 */
export async function ensureSearchAttributes(client: Client, namespace: string): Promise<string[]> {
  const operator = client.connection.operatorService;
  const existing = await operator.listSearchAttributes({ namespace });
  const known = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
  const missing = platformSearchAttributes.filter((key) => !known.has(key.name));
  if (missing.length === 0) return [];
  try {
    await operator.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueType[key.type]!])),
    });
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === grpcStatus.ALREADY_EXISTS) return [];
    throw error;
  }
  return missing.map((key) => key.name);
}
