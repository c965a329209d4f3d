import type { ChatRequestMessage, ChatRequestTool } from './chat-request.js';

/**
 * OpenAI messages as ChatML, the way Qwen2.5's own chat template writes them: tools
 * described in the system message, the model's calls as `<tool_call>` JSON, their
 * results as `<tool_response>` in a user turn. Keeping the model's trained format is
 * what makes a 0.5B model pick tools at all (see local-llm/tool-decision.ts).
 */
export function renderChatPrompt(messages: ChatRequestMessage[], tools: ChatRequestTool[] = [], options: { answerToolResults?: boolean } = {}): string {
  let text = '';
  let first = true;
  const systemWithTools = (content: string) => (tools.length > 0 ? `${content}${toolsSection(tools)}` : content);
  if (tools.length > 0 && !isSystem(messages[0])) text += block('system', systemWithTools('You are a helpful assistant.'));
  for (const [index, message] of messages.entries()) {
    switch (message.role) {
      case 'system':
      case 'developer':
        text += block('system', first ? systemWithTools(message.content) : message.content);
        break;
      case 'user':
        text += block('user', message.content);
        break;
      case 'assistant': {
        const calls = (message.tool_calls ?? []).map((call) => `<tool_call>\n{"name": "${call.function.name}", "arguments": ${compactJson(call.function.arguments)}}\n</tool_call>`);
        text += block('assistant', [message.content ?? '', ...calls].filter(Boolean).join('\n'));
        break;
      }
      case 'tool': {
        const previous = messages[index - 1];
        const next = messages[index + 1];
        if (previous?.role !== 'tool') text += '<|im_start|>user';
        text += `\n<tool_response>\n${message.content}\n</tool_response>`;
        // Told in so many words, a 0.5B model puts the result into a sentence instead of echoing data.
        if (next === undefined && options.answerToolResults) text += `\n${ANSWER_TOOL_RESULTS}`;
        if (next?.role !== 'tool') text += '<|im_end|>\n';
        break;
      }
    }
    first = false;
  }
  return `${text}<|im_start|>assistant\n`;
}

export const ANSWER_TOOL_RESULTS = 'Tell the user what this means for their request, in one or two short sentences.';

const block = (role: string, content: string) => `<|im_start|>${role}\n${content}<|im_end|>\n`;
const isSystem = (message: ChatRequestMessage | undefined) => message?.role === 'system' || message?.role === 'developer';

function toolsSection(tools: ChatRequestTool[]): string {
  const signatures = tools.map((tool) => JSON.stringify({ type: 'function', function: tool.function })).join('\n');
  return [
    '\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n',
    `You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n${signatures}\n</tools>\n`,
    'For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:',
    '<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>',
  ].join('\n');
}

/** Arguments as the model would write them; a string that is not JSON goes in quoted. */
function compactJson(argumentsText: string): string {
  try {
    return JSON.stringify(JSON.parse(argumentsText));
  } catch {
    return JSON.stringify(argumentsText);
  }
}
