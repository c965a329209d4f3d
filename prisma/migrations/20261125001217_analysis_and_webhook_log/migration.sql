-- CreateEnum
CREATE TYPE "AnalysisStatus" AS ENUM ('running', 'completed', 'failed');

-- DropIndex
DROP INDEX "PostCallAnalysis_callId_idx";

-- AlterTable
ALTER TABLE "PostCallAnalysis" ADD COLUMN     "completedAt" TIMESTAMP(3),
ADD COLUMN     "error" TEXT,
ADD COLUMN     "model" TEXT,
ADD COLUMN     "status" "AnalysisStatus" NOT NULL DEFAULT 'completed',
ADD COLUMN     "successReason" TEXT,
ADD COLUMN     "trigger" TEXT NOT NULL DEFAULT 'call-ended',
ADD COLUMN     "workflowId" TEXT;

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "eventId" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "redeliveryOf" UUID;
ALTER TABLE "WebhookDelivery" ALTER COLUMN "eventId" DROP DEFAULT;

-- AlterTable
ALTER TABLE "WebhookEndpoint" ADD COLUMN     "description" TEXT;

-- CreateTable
CREATE TABLE "WebhookDeliveryAttempt" (
    "deliveryId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDeliveryAttempt_pkey" PRIMARY KEY ("deliveryId","attempt")
);

-- CreateIndex
CREATE UNIQUE INDEX "PostCallAnalysis_workflowId_key" ON "PostCallAnalysis"("workflowId");

-- CreateIndex
CREATE INDEX "PostCallAnalysis_callId_createdAt_idx" ON "PostCallAnalysis"("callId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_eventId_idx" ON "WebhookDelivery"("eventId");

-- AddForeignKey
ALTER TABLE "WebhookDeliveryAttempt" ADD CONSTRAINT "WebhookDeliveryAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
