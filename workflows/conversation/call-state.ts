import { condition, patched, workflowInfo } from '@temporalio/workflow';
import type { CallEndReason, ConversationInput, ConversationState, ConversationStatus, MediaAttached, TranscriptEntry } from '../../domain/conversation.js';
import { renderText } from '../../domain/template.js';
import type { LlmFunction } from '../../domain/tools.js';
import { llmContext, startGraph, systemPrompt, type GraphState } from '../graph-stepper.js';
import { OPENING_BEFORE_TURNS } from './patches.js';

export interface PendingKeys {
  entry: TranscriptEntry;
  /** `#` pressed, or the caller paused: no more keys join this turn. */
  closed: boolean;
  /** Answered, by its own reply or by a spoken turn that came first. */
  taken: boolean;
}

/**
 * What one run of a call knows: the transcript, where the call is, and the flags its story
 * and its handlers (signals, the userTurn update, the keypad) share. Everything here is
 * rebuilt by replay; what outlives a run is carried across continueAsNew.
 */
export class CallState {
  readonly input: ConversationInput;
  readonly callId: string;
  readonly agent: ConversationInput['agent'];
  readonly transcript: TranscriptEntry[];
  readonly startedAt: number;
  gateway: MediaAttached | undefined;
  nextTurnIndex: number;
  status: ConversationStatus;
  endReason: CallEndReason | undefined;
  /** Someone holds the floor: a reply, the opening, a reprompt or the goodbye is under way. */
  busy = false;
  /**
   * Bumped when the caller stirs: a key pressed, a turn begun, a turn answered. The main
   * loop waits for silence as a condition with a timeout; a condition wakes only on a value
   * it reads changing, and `busy` may go up and down within one activation, so a counter
   * is what tells it something happened (restart the silence wait, forget the reprompt).
   */
  stirs = 0;
  /** Keypad turns not answered yet, oldest first; the last one may still be taking keys. */
  readonly pendingKeys: PendingKeys[] = [];
  keypresses = 0;
  readonly graph: ConversationInput['agent']['graph'];
  readonly graphState: GraphState | undefined;
  readonly mcpFunctions: Record<string, LlmFunction[]>;
  /** An end node said its own farewell: no generic goodbye after it. */
  farewellSaid = false;
  /**
   * The opening (MCP tool lists, greeting, a graph's first lookup) comes before any caller
   * turn. Calls recorded before this rule took a turn during the opening: they replay as they ran.
   */
  opened: boolean;

  constructor(input: ConversationInput) {
    this.input = input;
    this.callId = input.callId;
    this.agent = withVariables(input.agent, input.variables);
    this.transcript = input.carried?.transcript ?? [...(input.prior ?? [])];
    this.startedAt = input.carried?.startedAt ?? workflowInfo().runStartTime.getTime();
    this.gateway = input.carried?.gateway;
    this.nextTurnIndex = input.carried?.nextTurnIndex ?? this.transcript.reduce((next, entry) => Math.max(next, entry.turnIndex + 1), 0);
    this.status = this.gateway ? 'active' : 'waiting-media';
    this.graph = this.agent.graph;
    this.graphState = input.carried?.graph ?? (this.graph ? startGraph(this.graph, input.variables) : undefined);
    this.mcpFunctions = input.carried?.mcpFunctions ?? {};
    // The first patch this workflow asks for: its marker comes before any command.
    this.opened = input.carried !== undefined || !patched(OPENING_BEFORE_TURNS);
  }

  /** The first reason to end wins; later ones (a hang-up after a transfer) are ignored. */
  end(reason: CallEndReason): void {
    this.endReason ??= reason;
  }

  stir(): void {
    this.stirs++;
  }

  /** One reply at a time: several waiters may see `busy` clear in the same activation. */
  async takeTheFloor(): Promise<void> {
    while ((this.busy || !this.opened) && this.endReason === undefined) await condition(() => (!this.busy && this.opened) || this.endReason !== undefined);
  }

  state(): ConversationState {
    return {
      callId: this.callId,
      status: this.status,
      endReason: this.endReason,
      gatewayTaskQueue: this.gateway?.gatewayTaskQueue,
      turns: this.transcript.length,
      startedAt: this.startedAt,
    };
  }

  /** The messages the LLM sees: from the current node on when the graph keeps a summary. */
  context() {
    return llmContext(systemPrompt(this.agent, this.graph, this.graphState), this.transcript, this.graph?.context === 'summary' ? this.graphState!.nodeStartsAt : 0);
  }
}

/** A contact's variables written into the agent's lines: `{{vars.first_name}}`. */
function withVariables(agent: ConversationInput['agent'], variables: ConversationInput['variables']): ConversationInput['agent'] {
  if (!variables) return agent;
  const scope = { vars: variables };
  return {
    ...agent,
    systemPrompt: renderText(agent.systemPrompt, scope),
    ...(agent.firstMessage ? { firstMessage: renderText(agent.firstMessage, scope) } : {}),
  };
}
