import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTelephonyActivities } from '../../activities/telephony-activities.js';
import { createPrismaClient } from '../../db/prisma-client.js';
import type { Telephony } from '../../providers/telephony/telephony.js';
import { TwilioTelephony } from '../../providers/telephony/twilio-telephony.js';
import { FakeTwilioRestServer } from '../fakes/fake-twilio-rest-server.js';
import { createTestOrganization } from '../support/platform-roles.js';

/**
 * Twilio takes no idempotency key for a new call, so a dial retried after its worker died
 * could ring the same person twice. The call's row records that a dial began; a retry asks
 * the carrier (through the real twilio SDK, against the fake REST API) for that call first.
 */
describe('dialCall dials once across crashes', () => {
  const twilio = new FakeTwilioRestServer();
  const prisma = createPrismaClient(process.env.DATABASE_URL!);
  let organizationId: string;
  let carrier: TwilioTelephony;

  beforeAll(async () => {
    await twilio.start();
    carrier = new TwilioTelephony({ accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilio.baseUrl });
    ({ organizationId } = await createTestOrganization());
  });
  afterAll(async () => {
    await twilio.stop();
    await prisma.$disconnect();
  });

  const newCall = async (to: string) => {
    const id = randomUUID();
    await prisma.call.create({ data: { id, organizationId, workflowId: `call-${id}`, direction: 'outbound', status: 'in_progress', fromNumber: '+14155550100', toNumber: to } });
    return { callId: id, to, from: '+14155550100', streamUrl: `wss://gateway.example/twilio/stream/${id}` };
  };
  /** The carrier as it is, but for how a dial goes. */
  const withDial = (dial: Telephony['dial']): Telephony => ({
    dial,
    findCall: (query) => carrier.findCall(query),
    callStatus: (callSid) => carrier.callStatus(callSid),
    hangUp: (callSid) => carrier.hangUp(callSid),
    redirect: (callSid, twiml) => carrier.redirect(callSid, twiml),
  });
  /** The carrier's call is made, then the process "dies" before anything is recorded. */
  const dyingAfterTheCarrier = () =>
    withDial(async (request) => {
      await carrier.dial(request);
      throw new Error('worker killed');
    });

  it('a retry after the carrier made the call adopts that call', async () => {
    const input = await newCall('+14155550191');
    await expect(createTelephonyActivities({ prisma, telephony: dyingAfterTheCarrier() }).dialCall(input)).rejects.toThrow('worker killed');
    const made = twilio.calls.filter((call) => call.to === input.to);
    expect(made).toHaveLength(1);

    const retried = await createTelephonyActivities({ prisma, telephony: carrier }).dialCall(input);
    expect(retried.callSid).toBe(made[0]!.sid);
    expect(twilio.calls.filter((call) => call.to === input.to)).toHaveLength(1);
    expect((await prisma.call.findUniqueOrThrow({ where: { id: input.callId } })).twilioCallSid).toBe(made[0]!.sid);
  });

  it('a retry after a dial that never reached the carrier dials', async () => {
    const input = await newCall('+14155550192');
    const failing = withDial(() => Promise.reject(new Error('connection reset')));
    await expect(createTelephonyActivities({ prisma, telephony: failing }).dialCall(input)).rejects.toThrow('connection reset');
    const listedBefore = twilio.listed;

    const retried = await createTelephonyActivities({ prisma, telephony: carrier }).dialCall(input);
    expect(twilio.listed).toBe(listedBefore + 1);
    expect(twilio.calls.filter((call) => call.to === input.to).map((call) => call.sid)).toEqual([retried.callSid]);
  });

  it('an earlier call to the same number is not taken for this one', async () => {
    const input = await newCall('+14155550193');
    await createTelephonyActivities({ prisma, telephony: carrier }).dialCall(await newCall(input.to));
    // This attempt's dial began a minute after the earlier call was made.
    await prisma.call.update({ where: { id: input.callId }, data: { dialStartedAt: new Date(Date.now() + 60_000) } });
    const retried = await createTelephonyActivities({ prisma, telephony: carrier }).dialCall(input);
    const made = twilio.calls.filter((call) => call.to === input.to);
    expect(made).toHaveLength(2);
    expect(retried.callSid).toBe(made[1]!.sid);
  });

  it('a call whose sid is recorded is never dialed again', async () => {
    const input = await newCall('+14155550194');
    const first = await createTelephonyActivities({ prisma, telephony: carrier }).dialCall(input);
    const listedBefore = twilio.listed;
    expect(await createTelephonyActivities({ prisma, telephony: carrier }).dialCall(input)).toEqual(first);
    expect(twilio.listed).toBe(listedBefore);
    expect(twilio.calls.filter((call) => call.to === input.to)).toHaveLength(1);
  });
});
