export interface GatewayInfo {
  gatewayId: string;
  taskQueue: string;
  activeSessions: number;
  startedAt: string;
}

export interface GatewayActivityDeps {
  gatewayId: string;
  taskQueue: string;
  startedAt: Date;
  activeSessions(): number;
}

/** Activities that run on one gateway's own task queue, next to its live sockets. */
export function createGatewayActivities(deps: GatewayActivityDeps) {
  return {
    /** Lets a workflow (or an operator) confirm this gateway is alive and see its load. */
    async describeGateway(): Promise<GatewayInfo> {
      return {
        gatewayId: deps.gatewayId,
        taskQueue: deps.taskQueue,
        activeSessions: deps.activeSessions(),
        startedAt: deps.startedAt.toISOString(),
      };
    },
  };
}

export type GatewayActivities = ReturnType<typeof createGatewayActivities>;
