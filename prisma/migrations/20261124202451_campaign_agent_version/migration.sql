-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "agentVersionId" UUID,
ADD COLUMN     "fromNumber" TEXT;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_agentVersionId_fkey" FOREIGN KEY ("agentVersionId") REFERENCES "AgentVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;
