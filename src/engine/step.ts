import type { InboundContent, OutboundMessage } from "../channels/contract.js";
import { readAnswer } from "./answers.js";
import { type AskStep, choiceKinds, type Flow, type Step } from "./flow-schema.js";
import type { Json } from "./json.js";
import type { FlowSet } from "./loader.js";
import { labelOf, renderQuestion, renderRetry } from "./questions.js";
import type { ConversationState, FlowPosition } from "./state.js";
import {
  canonicalTokens,
  detectCommand,
  findKeyword,
  type GlobalCommand,
  normalise,
  tokens,
} from "./understand/index.js";
import { fillText, fillValue, lookup } from "./variables.js";

/** What the engine is given besides the state: everything it may depend on, nothing with effects. */
export interface EngineContext {
  flows: FlowSet;
  now: Date;
  idleTimeoutMs: number;
  organisationName: string;
}

export type EngineInput =
  | { type: "message"; content: InboundContent }
  /** The result of the action the previous output asked for. */
  | { type: "action_result"; result: Json };

export type EngineEvent =
  | { type: "unrecognised"; flowId: string; stepId: string }
  | { type: "expired" }
  | { type: "flow_changed"; flowId: string };

export interface EngineOutput {
  state: ConversationState | null;
  replies: OutboundMessage[];
  /** An action to run in the turn's transaction; resume with its result as `action_result`. */
  call?: { action: string; args: Json };
  events: EngineEvent[];
}

type StartReason = "trigger" | "command" | "not_understood";

/** A guard against flows that go round in circles without waiting for the resident. */
export const maxStepsPerTurn = 50;

const texts = {
  expired:
    "Percakapan kita sebelumnya sudah ditutup karena lama tidak ada balasan. Kita mulai lagi, ya.",
  flowChanged: "Maaf, layanan ini baru saja diperbarui, jadi kita mulai lagi dari menu.",
  cancelled: "Baik, dibatalkan.",
  notText: "Maaf, saya hanya bisa membaca pesan teks. Silakan ketik pesan Anda.",
  voice:
    "Maaf, saya belum bisa mendengarkan pesan suara. Pesan suara Anda sudah kami teruskan ke petugas. Untuk dilayani sekarang, silakan ketik pesan Anda.",
  resume: "Kita lanjutkan yang tadi:",
  questionChanged: "Maaf, pertanyaan ini baru saja diperbarui. Mohon jawab lagi:",
  loop: "Maaf, terjadi kesalahan pada layanan. Silakan ketik MENU untuk memulai lagi.",
};

/** Global words that pause the conversation in progress and resume it afterwards. */
const interrupting: ReadonlySet<GlobalCommand> = new Set([
  "bantuan",
  "data_saya",
  "berhenti",
  "langganan",
]);

const moreWords = new Set(["lagi", "next", "berikutnya", "selanjutnya"]);

/**
 * One step of a conversation: the state and what happened → the next state, the replies, and
 * possibly an action to run. Pure and deterministic.
 */
export function step(
  context: EngineContext,
  state: ConversationState | null,
  input: EngineInput,
): EngineOutput {
  const run = new Run(context);
  state = state && structuredClone(state);
  if (input.type === "action_result") {
    if (state?.waiting !== "action") throw new Error("no action is pending");
    const actionStep = run.stepOf(state);
    if (actionStep?.type !== "action") throw new Error("pending step is not an action");
    if (actionStep.save) state.variables[actionStep.save] = input.result;
    return run.advance(state, actionStep.next);
  }
  return run.receive(state, input.content);
}

class Run {
  private readonly replies: OutboundMessage[] = [];
  private readonly events: EngineEvent[] = [];
  /** The text of the message this turn answers ("" for other content). */
  private messageText = "";
  private steps = 0;

  constructor(private readonly context: EngineContext) {}

  stepOf(position: FlowPosition): Step | undefined {
    return this.context.flows.get(position.flowId)?.steps[position.stepId];
  }

  receive(current: ConversationState | null, content: InboundContent): EngineOutput {
    const state = this.resumable(current);
    const text =
      content.kind === "text" ? content.text : content.kind === "choice" ? content.choiceId : null;
    this.messageText = text ?? "";
    if (state) state.variables.message_text = this.messageText;
    const question = state?.waiting === "answer" ? this.stepOf(state) : undefined;
    const asking = question?.type === "ask" ? question : undefined;

    if (text !== null) {
      const strict = detectCommand(text, "strict");
      if (strict) return this.command(strict, state, asking);
      if (state?.waiting === "more") {
        if (moreWords.has(canonicalTokens(tokens(text)).join(" "))) return this.showPage(state);
        return this.receive(null, content);
      }
    }
    if (state && asking) {
      if (this.askedInOlderVersion(state, asking)) {
        const version = this.flow(state.flowId).version;
        return this.wait({ ...state, flowVersion: version, attempts: 0 });
      }
      const answer = readAnswer(asking, content, state.variables, this.context.now);
      if (answer.ok) {
        state.variables[asking.save] = answer.value;
        if (choiceKinds.has(asking.kind)) {
          state.variables[`${asking.save}_label`] = labelOf(asking, answer.value, state.variables);
        }
        state.attempts = 0;
        return this.advance(state, asking.next);
      }
      if (text !== null && asking.kind !== "text") {
        const loose = detectCommand(text, "loose");
        if (loose) return this.command(loose, state, asking);
        const triggered = this.triggeredFlow(text);
        if (triggered) return this.startFlow(triggered, text, "trigger");
      }
      state.attempts += 1;
      this.events.push({ type: "unrecognised", flowId: state.flowId, stepId: state.stepId });
      this.replies.push(renderRetry(asking, state.variables, state.attempts, answer.why));
      return this.wait(state);
    }
    return this.idle(text, content);
  }

  /** The stored state if it can go on; otherwise null, with a note why it ended. */
  private resumable(state: ConversationState | null): ConversationState | null {
    if (!state) return null;
    if (Date.parse(state.expiresAt) <= this.context.now.getTime()) {
      this.events.push({ type: "expired" });
      this.replies.push({ text: texts.expired });
      return null;
    }
    const paused = state.suspended ? [state.suspended, ...state.suspended.stack] : [];
    const positions = [state, ...state.stack, ...paused];
    if (positions.some((position) => this.stepOf(position) === undefined)) {
      this.events.push({ type: "flow_changed", flowId: state.flowId });
      this.replies.push({ text: texts.flowChanged });
      return null;
    }
    return state;
  }

  /** The flow was edited since this question was asked: ask it again as it is now. */
  private askedInOlderVersion(state: ConversationState, asking: AskStep): boolean {
    const version = this.context.flows.get(state.flowId)?.version;
    if (version === undefined || version === state.flowVersion) return false;
    this.events.push({ type: "flow_changed", flowId: state.flowId });
    const question = renderQuestion(asking, state.variables);
    this.replies.push({ ...question, text: `${texts.questionChanged}\n\n${question.text}` });
    return true;
  }

  /** No conversation in progress: a global word, a flow's trigger, or the menu. */
  private idle(text: string | null, content: InboundContent): EngineOutput {
    if (text === null) {
      this.replies.push({ text: content.kind === "voice" ? texts.voice : texts.notText });
      return this.startFlow("menu", "", "command");
    }
    const command = detectCommand(text, "loose");
    if (command) return this.command(command, null, undefined);
    const triggered = this.triggeredFlow(text);
    if (triggered) return this.startFlow(triggered, text, "trigger");
    this.events.push({ type: "unrecognised", flowId: "", stepId: "" });
    // After "the conversation has ended" the menu needs no "not understood" on top.
    const fresh = this.events.some((event) => event.type !== "unrecognised");
    return this.startFlow("menu", text, fresh ? "command" : "not_understood");
  }

  /** The flow whose command is the whole message, or whose trigger word the message has. */
  private triggeredFlow(text: string): string | undefined {
    const said = normalise(text);
    const owners = new Map<string, string>();
    for (const flow of this.context.flows.values()) {
      if (flow.commands.some((command) => normalise(command) === said)) return flow.id;
      for (const trigger of flow.triggers) owners.set(trigger, flow.id);
    }
    const keyword = findKeyword(text, [...owners.keys()]);
    return keyword === undefined ? undefined : owners.get(keyword);
  }

  private command(
    command: GlobalCommand,
    state: ConversationState | null,
    asking: AskStep | undefined,
  ): EngineOutput {
    switch (command) {
      case "menu":
        return this.startFlow("menu", "", "command");
      case "batal":
        this.replies.push({ text: texts.cancelled });
        return this.startFlow("menu", "", "command");
      case "ulang":
        if (state && asking) {
          this.replies.push(renderQuestion(asking, state.variables));
          return this.wait(state);
        }
        if (state?.page) return this.showPage({ ...state, page: { ...state.page, offset: 0 } });
        return this.startFlow("menu", "", "command");
      default: {
        const suspended =
          interrupting.has(command) && state && asking ? withoutExpiry(state) : undefined;
        return this.startFlow(command, "", "command", suspended);
      }
    }
  }

  private startFlow(
    flowId: string,
    startText: string,
    reason: StartReason,
    suspended?: ConversationState["suspended"],
  ): EngineOutput {
    const flow = this.flow(flowId);
    const state: ConversationState = {
      flowId,
      stepId: flow.start,
      flowVersion: flow.version,
      waiting: "answer",
      variables: {
        organisation_name: this.context.organisationName,
        start_text: startText,
        start_reason: reason,
        message_text: this.messageText,
      },
      attempts: 0,
      stack: [],
      expiresAt: "",
      ...(suspended ? { suspended } : {}),
    };
    return this.execute(state);
  }

  private flow(flowId: string): Flow {
    const flow = this.context.flows.get(flowId);
    if (!flow) throw new Error(`flow "${flowId}" is not loaded`);
    return flow;
  }

  /** Goes to `next` in the current flow, or ends the flow when there is none. */
  advance(state: ConversationState, next: string | undefined): EngineOutput {
    if (next === undefined) return this.finishFlow(state);
    return this.execute({ ...state, stepId: next, attempts: 0 });
  }

  /** Runs steps from `state.stepId` until the engine must wait for the resident or an action. */
  private execute(state: ConversationState): EngineOutput {
    this.steps += 1;
    if (this.steps > maxStepsPerTurn) {
      this.replies.push({ text: texts.loop });
      return this.done(null);
    }
    const current = this.stepOf(state);
    if (!current) throw new Error(`step "${state.flowId}.${state.stepId}" does not exist`);
    const variables = state.variables;
    switch (current.type) {
      case "say":
        this.replies.push({ text: fillText(current.text, variables) });
        return this.advance(state, current.next);
      case "ask":
        this.replies.push(renderQuestion(current, variables));
        return this.wait({ ...state, waiting: "answer" });
      case "action":
        return {
          ...this.done({ ...state, waiting: "action" }),
          call: { action: current.action, args: fillValue(current.args ?? {}, variables) },
        };
      case "set":
        for (const [name, value] of Object.entries(current.values)) {
          variables[name] = fillValue(value, variables);
        }
        return this.advance(state, current.next);
      case "branch":
        return this.advance(state, chooseCase(lookup(variables, current.on), current));
      case "flow": {
        const target = this.flow(current.flow);
        const stack = current.return_to
          ? [...state.stack, { ...position(state), stepId: current.return_to }]
          : state.stack;
        // A hand-off (no return) starts the next flow from the message that led to it.
        if (!current.return_to) {
          variables.start_text = variables.message_text ?? "";
          variables.start_reason = "trigger";
        }
        return this.execute({
          ...state,
          flowId: target.id,
          stepId: target.start,
          flowVersion: target.version,
          stack,
        });
      }
      case "list": {
        const items = lookup(variables, current.items_from);
        const list = Array.isArray(items) ? items.map((item) => String(item)) : [];
        if (list.length === 0) {
          this.replies.push({ text: fillText(current.empty, variables) });
          return this.advance(state, current.next);
        }
        return this.showPage({
          ...state,
          page: { items: list, offset: 0, pageSize: current.page_size },
        });
      }
      case "end":
        if (current.text) this.replies.push({ text: fillText(current.text, variables) });
        return this.finishFlow(state);
    }
  }

  /** Shows the page at `state.page.offset`; waits for LAGI while more remain. */
  private showPage(state: ConversationState): EngineOutput {
    const page = state.page;
    const listStep = this.stepOf(state);
    if (!page || listStep?.type !== "list") return this.done(null);
    const end = page.offset + page.pageSize;
    const shown = page.items.slice(page.offset, end);
    const more = end < page.items.length;
    const footer = more
      ? `\n\n(${end} dari ${page.items.length}) Ketik LAGI untuk melihat berikutnya.`
      : "";
    const header = page.offset === 0 ? `${fillText(listStep.text, state.variables)}\n\n` : "";
    this.replies.push({ text: `${header}${shown.join("\n\n")}${footer}` });
    if (more) return this.wait({ ...state, waiting: "more", page: { ...page, offset: end } });
    const { page: _done, ...rest } = state;
    return this.advance(rest, listStep.next);
  }

  /** The current flow ended: return to the caller, resume what was interrupted, or stop. */
  private finishFlow(state: ConversationState): EngineOutput {
    const caller = state.stack.at(-1);
    if (caller) {
      return this.execute({
        ...state,
        ...caller,
        stack: state.stack.slice(0, -1),
        waiting: "answer",
      });
    }
    const suspended = state.suspended;
    if (suspended) {
      const resumed = { ...suspended, expiresAt: "" };
      const question = this.stepOf(resumed);
      if (question?.type === "ask") {
        const rendered = renderQuestion(question, resumed.variables);
        this.replies.push({ ...rendered, text: `${texts.resume}\n\n${rendered.text}` });
        return this.wait(resumed);
      }
    }
    return this.done(null);
  }

  private wait(state: ConversationState): EngineOutput {
    const expiresAt = new Date(this.context.now.getTime() + this.context.idleTimeoutMs);
    return this.done({ ...state, expiresAt: expiresAt.toISOString() });
  }

  private done(state: ConversationState | null): EngineOutput {
    return { state, replies: this.replies, events: this.events };
  }
}

function position(state: ConversationState): FlowPosition {
  return { flowId: state.flowId, stepId: state.stepId, flowVersion: state.flowVersion };
}

function withoutExpiry(state: ConversationState): ConversationState["suspended"] {
  const { expiresAt: _expiresAt, suspended: _suspended, ...rest } = state;
  return rest;
}

/** The branch case for a value: equal, or contained in a list; booleans are "true"/"false". */
function chooseCase(value: Json | undefined, branch: Extract<Step, { type: "branch" }>): string {
  const values = Array.isArray(value) ? value.map(String) : [String(value ?? "")];
  for (const [key, target] of Object.entries(branch.cases)) {
    if (values.includes(key)) return target;
  }
  return branch.default;
}
