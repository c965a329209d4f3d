-- AlterTable
ALTER TABLE "CallTurn" ADD COLUMN     "providers" TEXT[] DEFAULT ARRAY[]::TEXT[];
