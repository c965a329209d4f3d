import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
/** A setting that may be absent; an empty value (`KEY=` in .env) counts as absent too. */
function emptyAsUnset<T extends z.ZodType<unknown, string>>(schema: T) {
  return z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(schema.optional())
    .optional();
}
const optionalString = emptyAsUnset(z.string());
const optionalUrl = emptyAsUnset(z.url());

/**
 * Every setting the platform reads from the environment (and `.env`). The README's
 * configuration table and docker-compose.yml are checked against this schema.
 */
export const configSchema = z
  .object({
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATA_DIR: z.string().min(1).default('.data'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_HOST: z.string().min(1).default('localhost'),

    API_PORT: port.default(3000),
    GATEWAY_PORT: port.default(3001),
    /** The worker's Prometheus `/metrics` (the api and the gateway serve theirs on their own ports); 0 picks a free port. */
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(3003),
    GATEWAY_ID: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." and "-" only')
      .optional(),

    DATABASE_URL: emptyAsUnset(z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// URL' })),
    EMBEDDED_POSTGRES_PORT: port.default(5433),

    TEMPORAL_ADDRESS: emptyAsUnset(z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port')),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('voice-platform'),
    TEMPORAL_TLS: flag.default(false),
    TEMPORAL_TLS_CERT_PATH: optionalString,
    TEMPORAL_TLS_KEY_PATH: optionalString,
    TEMPORAL_TLS_CA_PATH: optionalString,
    TEMPORAL_TLS_SERVER_NAME: optionalString,
    TEMPORAL_API_KEY: optionalString,
    TEMPORAL_UI_URL: optionalString,
    TEMPORAL_PORT: port.default(7233),
    TEMPORAL_UI_PORT: port.default(8233),
    TEMPORAL_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),

    PUBLIC_API_URL: optionalUrl,
    PUBLIC_GATEWAY_URL: optionalUrl,
    TWILIO_ACCOUNT_SID: optionalString,
    TWILIO_AUTH_TOKEN: optionalString,
    TWILIO_BASE_URL: optionalUrl,

    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: optionalUrl,
    /** The local model's OpenAI-compatible endpoint, for agents whose LLM is `local`; npm start sets it when it runs the llm role. */
    LOCAL_LLM_URL: optionalUrl,
    /** How turns name the local model (`local/<name>`); set with LOCAL_LLM_URL. */
    LOCAL_LLM_NAME: optionalString,
    /** The recogniser a new agent gets when its config names none: `auto` is Deepgram with a key, else Whisper (PocketSphinx as fallback). */
    DEFAULT_STT: z.enum(['auto', 'deepgram', 'whisper', 'pocketsphinx']).default('auto'),
    /** The voice a new agent gets when its config names none: `auto` is ElevenLabs with a key, else Piper (espeak-ng as fallback). */
    DEFAULT_TTS: z.enum(['auto', 'elevenlabs', 'piper', 'espeak']).default('auto'),
    /** `auto`: `npm start` runs the local LLM when neither OPENAI_API_KEY nor OPENAI_BASE_URL is set; `off`: never. */
    LOCAL_LLM: z.enum(['auto', 'off']).default('auto'),
    /** 0 picks a free port. */
    LOCAL_LLM_PORT: z.coerce.number().int().min(0).max(65535).default(3004),
    /** A GGUF file to serve instead of the packaged Qwen2.5-Coder-0.5B-Instruct (a ChatML model works best). */
    LOCAL_LLM_MODEL: optionalString,
    /** Where packaged model weights are installed on first need. */
    LOCAL_MODELS_DIR: z.string().min(1).default('.models'),
    LOCAL_LLM_THREADS: z.coerce.number().int().min(1).max(64).default(2),
    LOCAL_LLM_CONTEXT: z.coerce.number().int().min(512).max(32_768).default(4096),
    /**
     * Conversations generated at once, each with its own KV cache; more wait up to
     * LOCAL_LLM_QUEUE_WAIT_MS, then get 503. 4 by bench:local-llm on 2 cores: four calls at
     * once all answered (2 slots: 1 turn in 16 got 503, and callers evicted each other's cache).
     */
    LOCAL_LLM_PARALLEL: z.coerce.number().int().min(1).max(16).default(4),
    LOCAL_LLM_QUEUE_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(4000),

    DEEPGRAM_API_KEY: optionalString,
    DEEPGRAM_BASE_URL: optionalUrl,
    /** The Whisper model behind the offline `whisper` STT provider: base (more accurate on bench:speech-accuracy) or tiny.en (faster, smaller). */
    LOCAL_STT_MODEL: z.enum(['tiny.en', 'base']).default('base'),
    ELEVENLABS_API_KEY: optionalString,
    ELEVENLABS_BASE_URL: optionalUrl,
    NANGO_HOST: optionalUrl,

    CREDENTIALS_ENCRYPTION_KEY: emptyAsUnset(z.base64().refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64')),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),

    /** How long a webhook delivery is retried (exponential backoff, at most an hour apart) before it is marked failed. */
    WEBHOOK_RETRY_HOURS: z.coerce.number().min(0.01).max(72).default(24),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(15_000),
    /** Attempts a campaign workflow run dials before it continues as new (its history stays small). */
    CAMPAIGN_ATTEMPTS_PER_RUN: z.coerce.number().int().min(10).max(2_000).default(1_000),
  })
  .superRefine((config, ctx) => {
    const hasCert = config.TEMPORAL_TLS_CERT_PATH !== undefined;
    const hasKey = config.TEMPORAL_TLS_KEY_PATH !== undefined;
    if (hasCert !== hasKey) {
      ctx.addIssue({
        code: 'custom',
        path: [hasCert ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH'],
        message: 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together',
      });
    }
  });

export type AppConfig = z.infer<typeof configSchema>;
export type ConfigKey = keyof z.input<typeof configSchema>;

/** The names of all settings, in schema order. */
export const configKeys = Object.keys(configSchema.shape) as ConfigKey[];
