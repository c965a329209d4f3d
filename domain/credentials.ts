import { z } from 'zod';

export const credentialProviders = ['openai', 'deepgram', 'elevenlabs', 'twilio'] as const;
export type CredentialProvider = (typeof credentialProviders)[number];

/** Write-only: stored encrypted, never returned. Twilio needs its account sid besides the token. */
export const putCredentialSchema = z
  .object({
    apiKey: z.string().trim().min(8).max(1_000),
    accountSid: z.string().regex(/^AC[0-9a-f]{32}$/, 'a Twilio account sid (AC…)').optional(),
  })
  .strict();
export type PutCredential = z.infer<typeof putCredentialSchema>;

export const credentialViewSchema = z.object({
  provider: z.enum(credentialProviders),
  /** The last four characters of the key. */
  hint: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
