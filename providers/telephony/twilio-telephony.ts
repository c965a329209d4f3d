import twilio from 'twilio';
import type { DialRequest, Telephony } from './telephony.js';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** Another Twilio-compatible endpoint (the SDK has no base URL option: requests are re-addressed). */
  baseUrl?: string;
}

/** Twilio's REST API through the twilio SDK. */
export class TwilioTelephony implements Telephony {
  private readonly client: ReturnType<typeof twilio>;

  constructor(options: TwilioOptions) {
    this.client = twilio(options.accountSid, options.authToken, {
      autoRetry: false,
      ...(options.baseUrl ? { httpClient: readdressingClient(options.baseUrl) } : {}),
    });
  }

  async dial(request: DialRequest): Promise<{ callSid: string; status: string }> {
    const call = await this.client.calls.create({
      to: request.to,
      from: request.from,
      twiml: request.twiml,
      ...(request.statusCallback
        ? { statusCallback: request.statusCallback, statusCallbackMethod: 'POST', statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'] }
        : {}),
      ...(request.detectMachine ? { machineDetection: 'Enable' } : {}),
    });
    return { callSid: call.sid, status: call.status };
  }

  async findCall(query: { to: string; from: string; createdAfter: Date }): Promise<{ callSid: string } | undefined> {
    // Twilio lists newest first and filters by date only: the time is checked here.
    const calls = await this.client.calls.list({ to: query.to, from: query.from, limit: 20 });
    const found = calls.find((call) => call.dateCreated.getTime() >= query.createdAfter.getTime());
    return found ? { callSid: found.sid } : undefined;
  }

  async callStatus(callSid: string): Promise<{ status: string; answeredBy?: string }> {
    const call = await this.client.calls(callSid).fetch();
    return { status: call.status, ...(call.answeredBy ? { answeredBy: call.answeredBy } : {}) };
  }

  async hangUp(callSid: string): Promise<void> {
    await this.client.calls(callSid).update({ status: 'completed' });
  }

  async redirect(callSid: string, twiml: string): Promise<void> {
    await this.client.calls(callSid).update({ twiml });
  }
}

function readdressingClient(baseUrl: string): twilio.RequestClient {
  const client = new twilio.RequestClient();
  const request = client.request.bind(client);
  const target = new URL(baseUrl);
  client.request = ((options: { uri: string }) => {
    const uri = new URL(options.uri);
    uri.protocol = target.protocol;
    uri.host = target.host;
    return request({ ...options, uri: uri.toString() } as never);
  }) as typeof client.request;
  return client;
}

/** The TwiML that streams a call's audio to a gateway. */
export function streamTwiml(streamUrl: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.connect().stream({ url: streamUrl });
  return response.toString();
}

/**
 * The TwiML that hands the caller to another number. Warm: the person answering first
 * hears `whisperUrl`'s TwiML (who is calling and why), then the two are connected.
 */
export function transferTwiml(to: string, whisperUrl?: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.dial().number(whisperUrl ? { url: whisperUrl, method: 'POST' } : {}, to);
  return response.toString();
}

