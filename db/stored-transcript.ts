import type { CallTurn, PrismaClient } from '../generated/prisma/client.js';
import type { TranscriptEntry } from '../domain/conversation.js';

/** A stored turn as the workflow had it in its transcript. */
export function storedTurn(turn: CallTurn): TranscriptEntry {
  return {
    turnIndex: turn.turnIndex,
    role: turn.role as TranscriptEntry['role'],
    text: turn.text,
    ...(turn.heardText !== null ? { heardText: turn.heardText } : {}),
    ...(turn.interrupted ? { interrupted: true } : {}),
    timings: (turn.timings ?? {}) as TranscriptEntry['timings'],
    ...(turn.providers.length > 0 ? { providers: turn.providers } : {}),
    ...(turn.dtmf !== null ? { dtmf: turn.dtmf } : {}),
    ...(turn.toolCalls !== null ? { toolCalls: turn.toolCalls as unknown as TranscriptEntry['toolCalls'] } : {}),
    ...(turn.tool !== null ? { tool: turn.tool as unknown as TranscriptEntry['tool'] } : {}),
  };
}

/** Turn order: by index; within one index the user's entry first. */
export const turnOrder = [{ turnIndex: 'asc' as const }, { role: 'desc' as const }];

/** A finished call's transcript, as stored when it ended. */
export async function storedTranscript(prisma: PrismaClient, callId: string): Promise<TranscriptEntry[]> {
  const turns = await prisma.callTurn.findMany({ where: { callId }, orderBy: turnOrder });
  return turns.map(storedTurn);
}
