import { z } from 'zod';

const textContent = z.union([
  z.string(),
  z.array(z.object({ type: z.literal('text'), text: z.string() })).transform((parts) => parts.map((part) => part.text).join('')),
]);

const toolCall = z.object({
  id: z.string(),
  type: z.literal('function').default('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const message = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: textContent }),
  z.object({ role: z.literal('developer'), content: textContent }),
  z.object({ role: z.literal('user'), content: textContent }),
  z.object({ role: z.literal('assistant'), content: textContent.nullish(), tool_calls: z.array(toolCall).optional() }),
  z.object({ role: z.literal('tool'), content: textContent, tool_call_id: z.string() }),
]);

const jsonSchemaObject = z.record(z.string(), z.unknown());

const tool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" and "-", at most 64'),
    description: z.string().optional(),
    parameters: jsonSchemaObject.optional(),
  }),
});

/** The part of OpenAI's chat-completions request this server honours; other fields are ignored, as vLLM and llama.cpp do. */
export const chatRequestSchema = z
  .object({
    model: z.string().optional(),
    messages: z.array(message).min(1),
    stream: z.boolean().default(false),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().gt(0).max(1).nullish(),
    max_tokens: z.number().int().min(1).nullish(),
    max_completion_tokens: z.number().int().min(1).nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
    seed: z.number().int().nullish(),
    tools: z.array(tool).optional(),
    tool_choice: z
      .union([z.enum(['none', 'auto', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) })])
      .optional(),
    response_format: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('text') }),
        z.object({ type: z.literal('json_object') }),
        z.object({ type: z.literal('json_schema'), json_schema: z.object({ name: z.string().optional(), schema: jsonSchemaObject, strict: z.boolean().nullish() }) }),
      ])
      .optional(),
  })
  .superRefine((request, ctx) => {
    const choice = request.tool_choice;
    if (choice && typeof choice === 'object' && !request.tools?.some((t) => t.function.name === choice.function.name)) {
      ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: `no tool named "${choice.function.name}" in tools` });
    }
    if (choice === 'required' && !request.tools?.length) ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: '"required" needs tools' });
  });

export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ChatRequestMessage = ChatRequest['messages'][number];
export type ChatRequestTool = NonNullable<ChatRequest['tools']>[number];
