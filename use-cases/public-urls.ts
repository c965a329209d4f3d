import type { AppConfig } from '../platform/config-schema.js';

/** The api as Twilio and browsers reach it (signatures are computed over this URL). */
export function publicApiUrl(config: AppConfig): URL {
  return new URL(config.PUBLIC_API_URL ?? `http://${config.PUBLIC_HOST}:${config.API_PORT}`);
}

/** Where Twilio reports an outbound call's progress (the call id rides in the signed URL). */
export function callStatusUrl(config: AppConfig, callId: string): string {
  const url = publicApiUrl(config);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/twilio/status`;
  url.searchParams.set('callId', callId);
  return url.toString();
}

/** The gateway as callers and browsers reach it. */
export function publicGatewayUrl(config: AppConfig): URL {
  return new URL(config.PUBLIC_GATEWAY_URL ?? `http://${config.PUBLIC_HOST}:${config.GATEWAY_PORT}`);
}

/** A media socket URL on the gateway: wss for https deployments, ws otherwise. */
export function mediaSocketUrl(config: AppConfig, transport: 'twilio' | 'web', callId: string): string {
  const url = publicGatewayUrl(config);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/$/, '')}/media/${transport}/${callId}`;
  return url.toString();
}
