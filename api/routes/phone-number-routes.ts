import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../domain/pagination.js';
import { createPhoneNumberSchema, phoneNumberViewSchema, updatePhoneNumberSchema } from '../../domain/phone-numbers.js';
import type { ApiDeps } from '../api-deps.js';
import { route, type Route } from '../openapi/route.js';
import { createPhoneNumber, deletePhoneNumber, getPhoneNumber, listPhoneNumbers, updatePhoneNumber } from '../../use-cases/phone-numbers.js';

const idParams = z.object({ id: z.uuid() });
const tag = 'Phone numbers';

export function phoneNumberRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'post',
      path: '/v1/phone-numbers',
      operationId: 'createPhoneNumber',
      summary: "Register a Twilio number and the agent that answers it (point the number's voice webhook at /twilio/voice)",
      tag,
      scope: 'agents:write',
      body: createPhoneNumberSchema,
      responses: { 201: { description: 'Registered', schema: phoneNumberViewSchema }, 404: { description: 'No such agent' }, 409: { description: 'The number is registered already' } },
      handle: async ({ auth, body }) => ({ status: 201, body: await createPhoneNumber(deps, auth, body) }),
    }),
    route({
      method: 'get',
      path: '/v1/phone-numbers',
      operationId: 'listPhoneNumbers',
      summary: 'Phone numbers, newest first',
      tag,
      scope: 'read',
      query: pageQuerySchema.strict(),
      responses: { 200: { description: 'A page of numbers', schema: pageSchema(phoneNumberViewSchema) } },
      handle: async ({ auth, query }) => ({ status: 200, body: await listPhoneNumbers(deps, auth, query) }),
    }),
    route({
      method: 'get',
      path: '/v1/phone-numbers/:id',
      operationId: 'getPhoneNumber',
      summary: 'One phone number',
      tag,
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'The number', schema: phoneNumberViewSchema }, 404: { description: 'No such number' } },
      handle: async ({ auth, params }) => ({ status: 200, body: await getPhoneNumber(deps, auth, params.id) }),
    }),
    route({
      method: 'patch',
      path: '/v1/phone-numbers/:id',
      operationId: 'updatePhoneNumber',
      summary: 'Bind the number to another agent, or to none',
      tag,
      scope: 'agents:write',
      params: idParams,
      body: updatePhoneNumberSchema,
      responses: { 200: { description: 'The number', schema: phoneNumberViewSchema }, 404: { description: 'No such number or agent' } },
      handle: async ({ auth, params, body }) => ({ status: 200, body: await updatePhoneNumber(deps, auth, params.id, body) }),
    }),
    route({
      method: 'delete',
      path: '/v1/phone-numbers/:id',
      operationId: 'deletePhoneNumber',
      summary: 'Remove a phone number',
      tag,
      scope: 'agents:write',
      params: idParams,
      responses: { 204: { description: 'Removed' }, 404: { description: 'No such number' } },
      handle: async ({ auth, params }) => {
        await deletePhoneNumber(deps, auth, params.id);
        return { status: 204 };
      },
    }),
  ];
}
