-- Operator MFA (issue 15 items 3-6): TOTP, recovery codes, passkeys, step-up.

-- An admin may require MFA for one operator, whatever MFA_REQUIRED_ROLES says.
ALTER TABLE "Operator" ADD COLUMN "mfaRequired" BOOLEAN NOT NULL DEFAULT false;

-- Last full authentication of a session (sign-in or step-up) and how it was made.
ALTER TABLE "OperatorSession" ADD COLUMN "authenticatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE "OperatorSession" ADD COLUMN "authMethod" TEXT NOT NULL DEFAULT 'password';
UPDATE "OperatorSession" SET "authenticatedAt" = "createdAt";

-- CreateTable
CREATE TABLE "OperatorTotp" (
    "operatorId" TEXT NOT NULL,
    "secretEncrypted" TEXT NOT NULL,
    "confirmedAt" TIMESTAMPTZ(3),
    "lastUsedStep" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OperatorTotp_pkey" PRIMARY KEY ("operatorId")
);

-- CreateTable
CREATE TABLE "OperatorRecoveryCode" (
    "id" TEXT NOT NULL,
    "operatorId" TEXT NOT NULL,
    "codeHash" CHAR(64) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OperatorRecoveryCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OperatorPasskey" (
    "id" TEXT NOT NULL,
    "operatorId" TEXT NOT NULL,
    "publicKey" BYTEA NOT NULL,
    "counter" INTEGER NOT NULL DEFAULT 0,
    "transports" TEXT,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),

    CONSTRAINT "OperatorPasskey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebAuthnChallenge" (
    "id" TEXT NOT NULL,
    "challenge" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "operatorId" TEXT,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WebAuthnChallenge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OperatorRecoveryCode_codeHash_key" ON "OperatorRecoveryCode"("codeHash");

-- CreateIndex
CREATE INDEX "OperatorRecoveryCode_operatorId_idx" ON "OperatorRecoveryCode"("operatorId");

-- CreateIndex
CREATE INDEX "OperatorPasskey_operatorId_idx" ON "OperatorPasskey"("operatorId");

-- CreateIndex
CREATE INDEX "WebAuthnChallenge_expiresAt_idx" ON "WebAuthnChallenge"("expiresAt");

-- AddForeignKey
ALTER TABLE "OperatorTotp" ADD CONSTRAINT "OperatorTotp_operatorId_fkey" FOREIGN KEY ("operatorId") REFERENCES "Operator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OperatorRecoveryCode" ADD CONSTRAINT "OperatorRecoveryCode_operatorId_fkey" FOREIGN KEY ("operatorId") REFERENCES "Operator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OperatorPasskey" ADD CONSTRAINT "OperatorPasskey_operatorId_fkey" FOREIGN KEY ("operatorId") REFERENCES "Operator"("id") ON DELETE CASCADE ON UPDATE CASCADE;
