/**
 * Campaign dispatch: the whole platform (`main.ts` on embedded Temporal and PostgreSQL,
 * as `npm start` runs it) calls N contacts through the fake Twilio REST API, which rings,
 * answers and hangs up each call after `--talk-ms` through signed status callbacks.
 * Prints dispatch throughput (dials/s at the carrier), time to finish, the campaign
 * workflow's history (runs, events per run), duplicates and skipped contacts, and the
 * most calls live at once at the carrier.
 *
 *   npm run bench:campaign -- --contacts 2000 --cps 50 --concurrency 100 --talk-ms 200
 *   npm run bench:campaign -- --contacts 10000 --kill-worker-at 0.3 --kill-temporal-at 0.6
 *
 * The kill options SIGKILL the worker role and the embedded Temporal server when that
 * share of the contacts has been dialed; the supervisor restarts them. Prints numbers;
 * asserts nothing.
 */
import { parseArgs } from 'node:util';
import { CampaignHarness } from '../test/support/campaign-harness.js';

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '2000' },
    cps: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '100' },
    'talk-ms': { type: 'string', default: '200' },
    'kill-worker-at': { type: 'string' },
    'kill-temporal-at': { type: 'string' },
  },
});
const CONTACTS = Number(values.contacts);
const CPS = Number(values.cps);
const CONCURRENCY = Number(values.concurrency);
const kills = [
  ...(values['kill-worker-at'] ? [{ what: 'worker' as const, at: Number(values['kill-worker-at']) }] : []),
  ...(values['kill-temporal-at'] ? [{ what: 'temporal' as const, at: Number(values['kill-temporal-at']) }] : []),
].sort((a, b) => a.at - b.at);

const harness = await new CampaignHarness({ talkMs: Number(values['talk-ms']) }).start();
try {
  const number = (index: number) => `+1628${String(index).padStart(7, '0')}`;
  const csv = ['phone,name', ...Array.from({ length: CONTACTS }, (_, index) => `${number(index)},Contact ${index}`)].join('\n');
  const campaignId = await harness.createCampaign(
    {
      maxConcurrentCalls: CONCURRENCY,
      callsPerSecond: CPS,
      // Always open, whatever the hour of the run.
      window: { start: '00:00', end: '23:59', days: [1, 2, 3, 4, 5, 6, 7] },
      defaultTimezone: new Date().getUTCHours() >= 21 || new Date().getUTCHours() < 3 ? 'Asia/Tokyo' : 'UTC',
    },
    csv,
  );
  console.log(`campaign of ${CONTACTS} contacts, ${CPS} calls/s, ${CONCURRENCY} at once, ${values['talk-ms']} ms calls`);

  const startedAt = Date.now();
  await harness.api('POST', `/v1/campaigns/${campaignId}/start`);
  let last = '';
  await harness.waitForCampaign(
    campaignId,
    (state) => state.status === 'completed' || state.status === 'canceled',
    24 * 3_600_000,
    (state) => {
      const dialed = harness.twilio.calls.length;
      while (kills[0] && dialed >= kills[0].at * CONTACTS) {
        const { what } = kills.shift()!;
        console.log(`  SIGKILL ${what} (pid ${harness.kill(what)}) at ${dialed} dials`);
      }
      const line = `  ${((Date.now() - startedAt) / 1000).toFixed(0)} s: ${state.status}, dialed ${dialed}, ${JSON.stringify(state.counts)}${state.progress ? `, in flight ${state.progress.inFlight}, run ${state.progress.runs}` : ''}`;
      if (line !== last && (Date.now() - startedAt) % 5_000 < 600) console.log(line);
      last = line;
    },
  );
  const finishedAt = Date.now();

  const dials = harness.twilio.calls.map((call) => call.createdAt).sort((a, b) => a - b);
  const byNumber = harness.dialsByNumber();
  const duplicates = [...byNumber.values()].filter((calls) => calls.length > 1).length;
  const skipped = Array.from({ length: CONTACTS }, (_, index) => number(index)).filter((to) => !byNumber.has(to)).length;
  const span = (dials.at(-1)! - dials[0]!) / 1000;
  const runs = await harness.historyLengths(campaignId);

  console.log('');
  console.log(`dials               ${dials.length} to ${byNumber.size} numbers: ${duplicates} dialed more than once, ${skipped} never dialed`);
  console.log(`dispatch throughput ${(dials.length / span).toFixed(1)} dials/s over ${span.toFixed(1)} s (busiest second: ${harness.busiestSecond()})`);
  console.log(`live calls          at most ${harness.maxLive} at once (limit ${CONCURRENCY})`);
  console.log(`status callbacks    ${harness.failedCallbacks} refused`);
  console.log(`start to completed  ${((finishedAt - startedAt) / 1000).toFixed(1)} s`);
  console.log(`campaign history    ${runs.length} runs, ${Math.max(...runs)} events at most in one, ${runs.reduce((sum, events) => sum + events, 0)} in all`);
} finally {
  await harness.stop();
}
