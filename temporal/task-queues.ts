/** The queue on which one gateway process runs the activities bound to its live sockets. */
export function gatewayTaskQueue(gatewayId: string): string {
  return `gateway-${gatewayId}`;
}
