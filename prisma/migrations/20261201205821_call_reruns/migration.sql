-- CreateEnum
CREATE TYPE "CallRerunStatus" AS ENUM ('running', 'completed', 'failed');

-- CreateTable
CREATE TABLE "CallRerun" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "sourceCallId" UUID NOT NULL,
    "rerunCallId" UUID NOT NULL,
    "workflowId" TEXT NOT NULL,
    "agentId" UUID,
    "agentVersionId" UUID,
    "agentVersion" INTEGER,
    "fromTurn" INTEGER NOT NULL DEFAULT 1,
    "status" "CallRerunStatus" NOT NULL DEFAULT 'running',
    "diff" JSONB,
    "changedTurns" INTEGER,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "CallRerun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CallRerun_rerunCallId_key" ON "CallRerun"("rerunCallId");

-- CreateIndex
CREATE UNIQUE INDEX "CallRerun_workflowId_key" ON "CallRerun"("workflowId");

-- CreateIndex
CREATE INDEX "CallRerun_sourceCallId_createdAt_idx" ON "CallRerun"("sourceCallId", "createdAt");

-- CreateIndex
CREATE INDEX "CallRerun_organizationId_createdAt_idx" ON "CallRerun"("organizationId", "createdAt");

-- AddForeignKey
ALTER TABLE "CallRerun" ADD CONSTRAINT "CallRerun_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallRerun" ADD CONSTRAINT "CallRerun_sourceCallId_fkey" FOREIGN KEY ("sourceCallId") REFERENCES "Call"("id") ON DELETE CASCADE ON UPDATE CASCADE;
