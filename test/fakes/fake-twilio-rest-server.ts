import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

export interface FakeTwilioCall {
  sid: string;
  to: string;
  from: string;
  twiml?: string;
  url?: string;
  statusCallback?: string;
  statusCallbackEvents: string[];
  machineDetection?: string;
  status: string;
  /** Answering-machine detection's verdict, once reported. */
  answeredBy?: string;
  createdAt: number;
}

/**
 * Twilio's REST API for calls as documented: `POST /2010-04-01/Accounts/{AccountSid}/Calls.json`
 * (form-encoded To, From, Twiml|Url), HTTP Basic auth with the account SID and auth token,
 * answering 201 with the call resource; `POST .../Calls/{CallSid}.json` to update one.
 * `GET .../Calls/{CallSid}.json` fetches one. `GET .../Calls.json` lists calls newest first, filtered by To, From and Status.
 * `onCall` plays the callee's phone (answers, streams audio).
 */
export class FakeTwilioRestServer {
  readonly calls: FakeTwilioCall[] = [];
  /** Every update of a live call (new TwiML: a transfer; a status: a hang-up). */
  readonly updates: { sid: string; twiml?: string; status?: string }[] = [];
  onCall?: (call: FakeTwilioCall) => void;
  /** How many times calls were listed (a retried dial looks for its call first). */
  listed = 0;
  private server?: Server;

  constructor(
    readonly accountSid = `AC${'0'.repeat(32)}`,
    readonly authToken = 'test-twilio-auth-token',
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const json = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return json(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const base = `/2010-04-01/Accounts/${this.accountSid}/Calls`;
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method === 'POST' && url.pathname === `${base}.json`) {
        const to = form.get('To');
        const from = form.get('From');
        if (!to || !from || (!form.get('Twiml') && !form.get('Url'))) return json(400, { code: 21201, message: 'No called number is specified', status: 400 });
        const call: FakeTwilioCall = {
          sid: `CA${randomBytes(16).toString('hex')}`,
          to,
          from,
          twiml: form.get('Twiml') ?? undefined,
          url: form.get('Url') ?? undefined,
          statusCallback: form.get('StatusCallback') ?? undefined,
          statusCallbackEvents: form.getAll('StatusCallbackEvent'),
          machineDetection: form.get('MachineDetection') ?? undefined,
          status: 'queued',
          createdAt: Date.now(),
        };
        this.calls.push(call);
        json(201, resource(this.accountSid, call));
        setImmediate(() => this.onCall?.(call));
        return;
      }
      if (req.method === 'GET' && url.pathname === `${base}.json`) {
        // Newest first, filtered as Twilio filters (To, From, Status), one page.
        const pageSize = Number(url.searchParams.get('PageSize') ?? 50);
        const matching = this.calls
          .filter((call) => ['To', 'From', 'Status'].every((name) => !url.searchParams.has(name) || url.searchParams.get(name) === { To: call.to, From: call.from, Status: call.status }[name]))
          .reverse()
          .slice(0, pageSize);
        this.listed++;
        return json(200, { calls: matching.map((call) => resource(this.accountSid, call)), page: 0, page_size: pageSize, start: 0, end: Math.max(0, matching.length - 1), uri: `${base}.json`, first_page_uri: `${base}.json?Page=0&PageSize=${pageSize}`, next_page_uri: null, previous_page_uri: null });
      }
      const update = new RegExp(`^${base}/(CA[0-9a-f]{32})\\.json$`).exec(url.pathname);
      if (req.method === 'GET' && update) {
        const call = this.calls.find((candidate) => candidate.sid === update[1]);
        return call ? json(200, resource(this.accountSid, call)) : json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      }
      if (req.method === 'POST' && update) {
        const call = this.calls.find((candidate) => candidate.sid === update[1]);
        if (!call) return json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
        if (form.get('Status')) call.status = form.get('Status')!;
        if (form.get('Twiml')) call.twiml = form.get('Twiml')!;
        this.updates.push({ sid: call.sid, twiml: form.get('Twiml') ?? undefined, status: form.get('Status') ?? undefined });
        return json(200, resource(this.accountSid, call));
      }
      json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** Reports a call's progress to its StatusCallback, signed as Twilio signs it. */
  async sendStatus(call: FakeTwilioCall, status: string, answeredBy?: string): Promise<number> {
    if (!call.statusCallback) throw new Error(`call ${call.sid} has no StatusCallback`);
    call.status = status;
    if (answeredBy) call.answeredBy = answeredBy;
    const params: Record<string, string> = { AccountSid: this.accountSid, CallSid: call.sid, CallStatus: status, To: call.to, From: call.from, Direction: 'outbound-api', ...(answeredBy ? { AnsweredBy: answeredBy } : {}) };
    const signature = twilio.getExpectedTwilioSignature(this.authToken, call.statusCallback, params);
    const response = await fetch(call.statusCallback, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });
    return response.status;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function resource(accountSid: string, call: FakeTwilioCall) {
  return {
    sid: call.sid,
    account_sid: accountSid,
    to: call.to,
    from: call.from,
    status: call.status,
    direction: 'outbound-api',
    answered_by: call.answeredBy ?? null,
    api_version: '2010-04-01',
    date_created: new Date(call.createdAt).toUTCString(),
    uri: `/2010-04-01/Accounts/${accountSid}/Calls/${call.sid}.json`,
  };
}
