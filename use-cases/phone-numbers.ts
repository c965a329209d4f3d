import type { AgentRepository } from '../db/repositories/agent-repository.js';
import { toPage, type PageQuery } from '../db/repositories/pagination.js';
import type { PhoneNumberRepository } from '../db/repositories/phone-number-repository.js';
import type { PhoneNumber } from '../db/repositories/rows.js';
import { AppError } from '../domain/errors.js';
import type { Auth } from './auth.js';
import type { DbDeps } from './use-case-deps.js';

function phoneNumberView(number: PhoneNumber) {
  return { id: number.id, e164: number.e164, agentId: number.agentId, twilioSid: number.twilioSid, createdAt: number.createdAt.toISOString() };
}

async function assertOwnAgent(agents: AgentRepository, agentId: string | null): Promise<void> {
  if (agentId === null) return;
  if (!(await agents.exists(agentId))) throw AppError.notFound('agent', agentId);
}

async function ownNumber(phoneNumbers: PhoneNumberRepository, id: string): Promise<PhoneNumber> {
  const number = await phoneNumbers.find(id);
  if (!number) throw AppError.notFound('phone number', id);
  return number;
}

export async function createPhoneNumber(deps: DbDeps, auth: Auth, input: { e164: string; agentId: string | null; twilioSid?: string }) {
  const { agents, phoneNumbers } = deps.db.forOrganization(auth.organizationId);
  await assertOwnAgent(agents, input.agentId);
  if (await phoneNumbers.registeredAnywhere(input.e164)) throw new AppError('phone_number_taken', `${input.e164} is already registered`, 409);
  return phoneNumberView(await phoneNumbers.create(input));
}

export async function listPhoneNumbers(deps: DbDeps, auth: Auth, query: PageQuery) {
  const rows = await deps.db.forOrganization(auth.organizationId).phoneNumbers.list(query);
  return toPage(rows, query.limit, phoneNumberView);
}

export async function getPhoneNumber(deps: DbDeps, auth: Auth, id: string) {
  return phoneNumberView(await ownNumber(deps.db.forOrganization(auth.organizationId).phoneNumbers, id));
}

export async function updatePhoneNumber(deps: DbDeps, auth: Auth, id: string, input: { agentId: string | null }) {
  const { agents, phoneNumbers } = deps.db.forOrganization(auth.organizationId);
  await ownNumber(phoneNumbers, id);
  await assertOwnAgent(agents, input.agentId);
  return phoneNumberView(await phoneNumbers.bindAgent(id, input.agentId));
}

export async function deletePhoneNumber(deps: DbDeps, auth: Auth, id: string): Promise<void> {
  const { phoneNumbers } = deps.db.forOrganization(auth.organizationId);
  await ownNumber(phoneNumbers, id);
  await phoneNumbers.delete(id);
}
