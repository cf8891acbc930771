/** A message handed to a worker: its body, the handle that proves this receive, and how often it was received. */
export interface ReceivedMessage<T = unknown> {
  readonly messageId: string;
  readonly body: T;
  /** Valid until the message is received again; ack, release and fail need it. */
  readonly receiptHandle: string;
  /** Receives including this one; 1 on first delivery. */
  readonly receiveCount: number;
  readonly sentAt: Date;
  /** The reason the previous attempt gave up, when one did. */
  readonly lastError?: string;
}

/** A message that exhausted its receives or failed for good, with the last error. */
export interface DeadLetter<T = unknown> {
  readonly messageId: string;
  readonly body: T;
  readonly receiveCount: number;
  readonly sentAt: Date;
  readonly deadAt: Date;
  readonly reason: string;
}

/** What `send` did: the message id, and whether the dedup id had already been used (then nothing was sent). */
export interface SendResult {
  readonly messageId: string;
  readonly duplicate: boolean;
}

/** Counts of a queue by state. */
export interface QueueDepth {
  readonly visible: number;
  /** Received and not yet acked, or sent with a delay that has not passed. */
  readonly inFlight: number;
  readonly dead: number;
}

/**
 * A work queue with SQS semantics: at-least-once delivery, a visibility timeout, a maximum receive count after
 * which a message moves to the dead-letter queue with its last error, and dedup ids on send.
 */
export interface WorkQueue<T = unknown> {
  readonly name: string;
  /**
   * Sends a message; a dedup id seen within the dedup window returns the first message id and sends nothing.
   * A group id (the repository) asks for fairness between groups: `SqliteWorkQueue` serves its groups in turn;
   * on AWS the queues are fed by EventBridge, whose SQS target sets no group on a standard queue, so there the
   * per-definition messages and the gate's concurrency bound the delay.
   */
  send(
    body: T,
    options?: { readonly dedupId?: string; readonly delayMs?: number; readonly groupId?: string },
  ): Promise<SendResult>;
  /**
   * Claims up to `max` visible messages for `visibilityTimeoutMs` (the queue default when omitted); two
   * receivers never get the same message while it is invisible. Messages past the max receive count go to the DLQ.
   */
  receive(options?: {
    readonly max?: number;
    readonly visibilityTimeoutMs?: number;
  }): Promise<ReceivedMessage<T>[]>;
  /** Deletes a processed message; false when the handle is stale (the message was received again or is gone). */
  ack(receiptHandle: string): Promise<boolean>;
  /**
   * Gives a message back after a retryable failure: visible again after `delayMs` (0 by default), the reason kept
   * as its last error; once it has used its receives it goes to the DLQ instead. False when the handle is stale.
   */
  release(receiptHandle: string, reason: string, options?: { readonly delayMs?: number }): Promise<boolean>;
  /** Moves a message straight to the DLQ after a non-retryable failure, with the reason. False when stale. */
  fail(receiptHandle: string, reason: string): Promise<boolean>;
  /** Dead letters, oldest first. */
  deadLetters(options?: { readonly limit?: number }): Promise<DeadLetter<T>[]>;
  /** Moves dead letters (all, or those ids) back to the queue with a fresh receive count; returns how many. */
  redrive(messageIds?: readonly string[]): Promise<number>;
  depth(): Promise<QueueDepth>;
}
