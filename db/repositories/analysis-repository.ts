import type { ScopedClient } from './organization-scope.js';

const newestFirst = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/** Post-call analyses of calls a call repository found (analyses belong to the call's organization). */
export function analysisRepository(prisma: ScopedClient) {
  return {
    /** The newest: the one `GET /v1/calls/:id` shows. */
    latest: (callId: string) => prisma.postCallAnalysis.findFirst({ where: { callId }, orderBy: newestFirst }),

    ofCall: (callId: string) => prisma.postCallAnalysis.findMany({ where: { callId }, orderBy: newestFirst }),
  };
}

export type AnalysisRepository = ReturnType<typeof analysisRepository>;
