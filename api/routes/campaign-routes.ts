import { z } from 'zod';
import { campaignViewSchema, contactImportSchema, createCampaignSchema } from '../../domain/campaigns.js';
import { AppError } from '../../domain/errors.js';
import { pageQuerySchema, pageSchema } from '../../domain/pagination.js';
import type { ApiDeps } from '../api-deps.js';
import { contactsFromCsv } from '../contacts-csv.js';
import { route, type Route } from '../openapi/route.js';
import { writeEventStream } from '../sse.js';
import { campaignResultsCsv, controlCampaign, createCampaign, followCampaign, getCampaign, importContacts, listCampaigns, startCampaign } from '../../use-cases/campaigns.js';

const idParams = z.object({ id: z.uuid() });
const tag = 'Campaigns';

/** JSON `{ contacts: [...] }`, or the CSV itself with Content-Type: text/csv. */
const contactsBodySchema = z.union([
  z.object({ contacts: z.array(z.unknown()).min(1).max(100_000) }).strict(),
  z.object({ csv: z.string().min(1) }).strict(),
  z.object({ text: z.string().min(1) }).strict(),
]);

export function campaignRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'post',
      path: '/v1/campaigns',
      operationId: 'createCampaign',
      summary: 'Create a calling campaign (draft), with contacts as JSON if you like',
      tag,
      scope: 'calls:write',
      body: createCampaignSchema,
      responses: {
        201: { description: 'Created; `import` says which contacts were accepted and which rows were not, and why', schema: campaignViewSchema.extend({ import: contactImportSchema }) },
        404: { description: 'No such agent or version' },
      },
      handle: async ({ auth, body }) => {
        const campaign = await createCampaign(deps, auth, body);
        return { status: 201, body: campaign, headers: { location: `/v1/campaigns/${campaign.id}` } };
      },
    }),
    route({
      method: 'post',
      path: '/v1/campaigns/:id/contacts',
      operationId: 'importCampaignContacts',
      summary: 'Add contacts before the start: a CSV (Content-Type: text/csv, or {"csv": "..."}) or {"contacts": [...]}; bad rows are reported, good ones kept',
      tag,
      scope: 'calls:write',
      params: idParams,
      body: contactsBodySchema,
      acceptsText: 'text/csv',
      responses: { 200: { description: 'Accepted and rejected rows', schema: contactImportSchema }, 404: { description: 'No such campaign' }, 409: { description: 'The campaign has started' } },
      handle: async ({ auth, params, body }) => {
        const rows = 'contacts' in body ? body.contacts.map((input, index) => ({ row: index + 1, input })) : contactsFromCsv('csv' in body ? body.csv : body.text);
        if (rows.length === 0) throw new AppError('no_contacts', 'the list has no rows', 400);
        return { status: 200, body: await importContacts(deps, auth, params.id, rows) };
      },
    }),
    route({
      method: 'get',
      path: '/v1/campaigns',
      operationId: 'listCampaigns',
      summary: 'Campaigns, newest first',
      tag,
      scope: 'read',
      query: pageQuerySchema.strict(),
      responses: { 200: { description: 'A page of campaigns', schema: pageSchema(campaignViewSchema) } },
      handle: async ({ auth, query }) => ({ status: 200, body: await listCampaigns(deps, auth, query) }),
    }),
    route({
      method: 'get',
      path: '/v1/campaigns/:id',
      operationId: 'getCampaign',
      summary: 'One campaign with its contacts counted by status',
      tag,
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'The campaign', schema: campaignViewSchema }, 404: { description: 'No such campaign' } },
      handle: async ({ auth, params }) => ({ status: 200, body: await getCampaign(deps, auth, params.id) }),
    }),
    route({
      method: 'get',
      path: '/v1/campaigns/:id/results.csv',
      operationId: 'exportCampaignResults',
      summary: 'Results as CSV: per contact its status, attempts, last call, end reason, duration and analysis verdict',
      tag,
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'CSV', contentType: 'text/csv' }, 404: { description: 'No such campaign' } },
      handle: async ({ auth, params, res }) => {
        const csv = await campaignResultsCsv(deps, auth, params.id);
        res.status(200).type('text/csv').setHeader('content-disposition', `attachment; filename="campaign-${params.id}.csv"`);
        res.send(csv);
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/v1/campaigns/:id/progress/stream',
      operationId: 'streamCampaignProgress',
      summary: 'Live progress as server-sent events: `progress` when counts change, `ended` with the final view',
      tag,
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' }, 404: { description: 'No such campaign' } },
      handle: async ({ auth, params, req, res }) => {
        await getCampaign(deps, auth, params.id);
        await writeEventStream(req, res, (signal) => followCampaign(deps, auth, params.id, signal));
        return undefined;
      },
    }),
    route({
      method: 'post',
      path: '/v1/campaigns/:id/start',
      operationId: 'startCampaign',
      summary: 'Start the campaign (or schedule it, with scheduledAt); starting again changes nothing',
      tag,
      scope: 'calls:write',
      params: idParams,
      responses: { 202: { description: 'Started', schema: campaignViewSchema }, 404: { description: 'No such campaign' }, 409: { description: 'Ended, or no contacts' } },
      handle: async ({ auth, params }) => ({ status: 202, body: await startCampaign(deps, auth, params.id) }),
    }),
    ...(['pause', 'resume', 'cancel'] as const).map((action) =>
      route({
        method: 'post',
        path: `/v1/campaigns/:id/${action}`,
        operationId: `${action}Campaign`,
        summary: {
          pause: 'Pause: no new dials (calls in progress finish)',
          resume: 'Resume dialing',
          cancel: 'Cancel: no new dials; calls in progress finish; then it ends with its final counts',
        }[action],
        tag,
        scope: 'calls:write',
        params: idParams,
        responses: { 202: { description: 'Signalled', schema: campaignViewSchema }, 404: { description: 'No such campaign' }, 409: { description: 'Not started, or ended' } },
        handle: async ({ auth, params }) => ({ status: 202, body: await controlCampaign(deps, auth, params.id, action) }),
      }),
    ),
  ];
}
