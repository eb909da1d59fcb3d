import type { InboundMessage, OutboundMessage } from "../../src/channels/contract.js";
import type { InboundPipeline, TurnResult } from "../../src/inbound/pipeline-contract.js";

/** An InboundPipeline that records what it received and answers with canned replies. */
export class FakePipeline implements InboundPipeline {
  readonly received: InboundMessage[] = [];
  replies: OutboundMessage[] = [];
  failWith: Error | undefined;

  async receive(message: InboundMessage): Promise<TurnResult> {
    this.received.push(message);
    if (this.failWith) throw this.failWith;
    return { status: "processed", replies: this.replies };
  }

  async accept(message: InboundMessage): Promise<{ status: "stored"; processed: Promise<void> }> {
    await this.receive(message);
    return { status: "stored", processed: Promise.resolve() };
  }
}
