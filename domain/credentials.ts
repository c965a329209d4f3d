import { z } from 'zod';

export const credentialProviders = ['openai', 'deepgram', 'elevenlabs', 'twilio', 'nango'] as const;
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

/** Organization secrets (`{{secret.NAME}}` in tool templates) share the encrypted credential store. */
export const secretNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ and -, starting with a letter');
export const putSecretSchema = z.object({ value: z.string().min(1).max(10_000) }).strict();
export type PutSecret = z.infer<typeof putSecretSchema>;
export const secretViewSchema = z.object({ name: z.string(), hint: z.string(), createdAt: z.iso.datetime(), updatedAt: z.iso.datetime() });

export function secretCredentialName(name: string): string {
  return `secret:${name}`;
}
