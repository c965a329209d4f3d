import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** AES-256-GCM for secrets at rest: base64(iv | tag | ciphertext). */
export class CredentialsCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the credentials key must be 32 bytes');
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
  }

  open(sealed: string): string {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

/** The embedded (development) database's key: generated once into the data folder, base64. */
export function developmentCredentialsKey(dataDir: string): string {
  const file = path.resolve(dataDir, 'credentials.key');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
      chmodSync(file, 0o600);
    } catch (error) {
      // Another process created it first.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * The key from CREDENTIALS_ENCRYPTION_KEY (`npm start` sets it for its roles when the
 * database is embedded); an api on the embedded database without one uses the
 * development key. With an external database and no key there is none: storing
 * credentials is refused rather than done in clear.
 */
export function loadCredentialsCipher(config: { CREDENTIALS_ENCRYPTION_KEY?: string; DATABASE_URL?: string; DATA_DIR: string }): CredentialsCipher | undefined {
  if (config.CREDENTIALS_ENCRYPTION_KEY) return new CredentialsCipher(Buffer.from(config.CREDENTIALS_ENCRYPTION_KEY, 'base64'));
  if (config.DATABASE_URL) return undefined;
  return new CredentialsCipher(Buffer.from(developmentCredentialsKey(config.DATA_DIR), 'base64'));
}
