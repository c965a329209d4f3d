import type { PhoneNumber } from '../generated/prisma/client.js';
import { AppError } from '../domain/errors.js';
import type { ApiDeps } from '../api/api-deps.js';
import type { Auth } from '../api/auth/authenticate.js';
import { pageArgs, toPage } from '../db/repositories/pagination.js';

function phoneNumberView(number: PhoneNumber) {
  return { id: number.id, e164: number.e164, agentId: number.agentId, twilioSid: number.twilioSid, createdAt: number.createdAt.toISOString() };
}

async function assertOwnAgent(deps: ApiDeps, auth: Auth, agentId: string | null): Promise<void> {
  if (agentId === null) return;
  const exists = await deps.prisma.agent.count({ where: { id: agentId, organizationId: auth.organizationId, deletedAt: null } });
  if (!exists) throw AppError.notFound('agent', agentId);
}

async function ownNumber(deps: ApiDeps, auth: Auth, id: string): Promise<PhoneNumber> {
  const number = await deps.prisma.phoneNumber.findFirst({ where: { id, organizationId: auth.organizationId } });
  if (!number) throw AppError.notFound('phone number', id);
  return number;
}

export async function createPhoneNumber(deps: ApiDeps, auth: Auth, input: { e164: string; agentId: string | null; twilioSid?: string }) {
  await assertOwnAgent(deps, auth, input.agentId);
  // Numbers are unique across organizations: inbound calls route by the called number.
  const taken = await deps.prisma.phoneNumber.count({ where: { e164: input.e164 } });
  if (taken) throw new AppError('phone_number_taken', `${input.e164} is already registered`, 409);
  const number = await deps.prisma.phoneNumber.create({
    data: { organizationId: auth.organizationId, e164: input.e164, agentId: input.agentId, twilioSid: input.twilioSid ?? null },
  });
  return phoneNumberView(number);
}

export async function listPhoneNumbers(deps: ApiDeps, auth: Auth, query: { limit: number; cursor?: string }) {
  const page = pageArgs(query);
  const rows = await deps.prisma.phoneNumber.findMany({ ...page, where: { AND: [page.where, { organizationId: auth.organizationId }] } });
  return toPage(rows, query.limit, phoneNumberView);
}

export async function getPhoneNumber(deps: ApiDeps, auth: Auth, id: string) {
  return phoneNumberView(await ownNumber(deps, auth, id));
}

export async function updatePhoneNumber(deps: ApiDeps, auth: Auth, id: string, input: { agentId: string | null }) {
  await ownNumber(deps, auth, id);
  await assertOwnAgent(deps, auth, input.agentId);
  return phoneNumberView(await deps.prisma.phoneNumber.update({ where: { id }, data: { agentId: input.agentId } }));
}

export async function deletePhoneNumber(deps: ApiDeps, auth: Auth, id: string): Promise<void> {
  await ownNumber(deps, auth, id);
  await deps.prisma.phoneNumber.delete({ where: { id } });
}
