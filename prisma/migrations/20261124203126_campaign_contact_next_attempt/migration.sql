-- AlterTable
ALTER TABLE "CampaignContact" ADD COLUMN     "nextAttemptAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "CampaignContact_campaignId_status_nextAttemptAt_idx" ON "CampaignContact"("campaignId", "status", "nextAttemptAt");
