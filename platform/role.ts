/** A running role (api, worker, gateway, llm): what it serves and how to stop it gracefully. */
export interface RoleHandle {
  name: RoleName;
  url?: string;
  stop(): Promise<void>;
}

export const roleNames = ['api', 'worker', 'gateway', 'llm'] as const;
export type RoleName = (typeof roleNames)[number];
