import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { WebSocket } from 'ws';
import { stateQuery } from '../../domain/conversation-messages.js';

/** Close codes of the media sockets: 4400 bad message, 4404 unknown call, 4409 call not live. */
export const CloseCode = { badMessage: 4400, unknownCall: 4404, callNotLive: 4409 } as const;

/**
 * Whether the socket's call exists and takes media; closes the socket with the reason
 * if not. Callers attach their message listener before awaiting this, so nothing the
 * client sends in the meantime is lost.
 */
export async function checkCallIsLive(socket: WebSocket, handle: WorkflowHandle, callId: string): Promise<boolean> {
  try {
    const state = await handle.query(stateQuery);
    if (state.status === 'waiting-media' || state.status === 'active') return true;
    socket.close(CloseCode.callNotLive, `call ${callId} is ${state.status}`);
    return false;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      socket.close(CloseCode.unknownCall, `no call ${callId}`);
      return false;
    }
    throw error;
  }
}
