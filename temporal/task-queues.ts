/** The queue on which one gateway process runs the activities bound to its live sockets. */
export function gatewayTaskQueue(gatewayId: string): string {
  return `gateway-${gatewayId}`;
}

/** Simulated (text, no socket) calls: the worker answers `respond` for them on this queue. */
export function simulatorTaskQueue(platformTaskQueue: string): string {
  return `${platformTaskQueue}-simulator`;
}
