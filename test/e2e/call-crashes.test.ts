import { afterEach, beforeAll, afterAll, describe, expect, it } from '@jest/globals';
import { Connection, Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { waitFor } from '../support/platform-process.js';
import { type PlatformRoles, startPlatformRoles, startWebCall, waitForEndedCall } from '../support/platform-roles.js';
import { WebCallClient } from '../support/web-call-client.js';


const llm = new FakeOpenAiServer((request) => {
  const last = request.messages.at(-1)?.content ?? '';
  // Turn 2 thinks for a while: long enough to kill the worker in the middle of it.
  return { text: `Reply to ${last}.`, firstTokenMs: last === 'second' ? 2_500 : 10 };
});

describe('crashes during a live call', () => {
  let platform: PlatformRoles;
  const agent = { systemPrompt: 'Test agent.', silenceTimeoutMs: 120_000 };

  beforeAll(async () => {
    await llm.start();
  });
  afterAll(async () => {
    await llm.stop();
  });
  afterEach(async () => {
    await platform?.stop();
  });

  const ended = (callId: string, timeoutMs = 60_000) =>
    waitForEndedCall(platform, callId, timeoutMs);

  it('SIGKILL of the worker in the middle of turn 2: the call goes on, no turn lost or doubled', async () => {
    platform = await startPlatformRoles({ OPENAI_BASE_URL: llm.baseUrl });
    const call = await startWebCall(platform, agent);
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    expect((await client.say('first')).reply).toBe('Reply to first.');

    // Replies stream; post-call analyses of earlier calls (not streamed) may come in between.
    const replies = () => llm.replies.length;
    const requestsBefore = replies();
    const second = client.say('second');
    // The reply is being generated on the gateway: the workflow is mid-turn.
    await waitFor('turn 2 at the model', async () => (replies() > requestsBefore ? true : undefined));
    platform.worker.child.kill('SIGKILL');
    await platform.worker.exited();
    await platform.restart('worker');

    expect(await second).toMatchObject({ reply: 'Reply to second.', interrupted: false, ended: false });
    expect((await client.say('third')).reply).toBe('Reply to third.');
    client.send({ type: 'hangup' });

    const stored = await ended(call.callId);
    expect(stored.endReason).toBe('hangup-caller');
    expect(stored.turns.map((turn) => `${turn.turnIndex}:${turn.role}:${turn.text}`)).toEqual([
      '0:user:first',
      '0:agent:Reply to first.',
      '1:user:second',
      '1:agent:Reply to second.',
      '2:user:third',
      '2:agent:Reply to third.',
    ]);
    // The model was asked once per turn: nothing was generated twice.
    expect(replies() - requestsBefore).toBe(2);
  });

  it('SIGKILL of the gateway: the call ends as media-lost within the heartbeat timeout and keeps what it had', async () => {
    platform = await startPlatformRoles({ OPENAI_BASE_URL: llm.baseUrl });
    const call = await startWebCall(platform, agent);
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    expect((await client.say('first')).reply).toBe('Reply to first.');

    platform.gateway.child.kill('SIGKILL');
    const stored = await ended(call.callId, 30_000);
    expect(stored).toMatchObject({ status: 'media_lost', endReason: 'media-lost' });
    expect(stored.turns.map((turn) => turn.text)).toEqual(['first', 'Reply to first.']);

    // How it was noticed: the call's watchMedia activity missed its heartbeat.
    const client2 = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) });
    const history = await client2.workflow.getHandle(call.workflowId).fetchHistory();
    await client2.connection.close();
    const { EventType, TimeoutType } = proto.temporal.api.enums.v1;
    const scheduled = history.events!.find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'watchMedia')!;
    const timedOut = history.events!.find((event) => event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT)!;
    expect(timedOut.activityTaskTimedOutEventAttributes!.scheduledEventId!.toString()).toBe(scheduled.eventId!.toString());
    expect(timedOut.activityTaskTimedOutEventAttributes!.failure!.timeoutFailureInfo!.timeoutType).toBe(TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
  });
});
