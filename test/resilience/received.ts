/** A message a fake platform took for delivery to a chat. */
export interface Delivered {
  chatId: string;
  text: string;
  /** Delivered, but the sender got no answer: it cannot know, and sends it again. */
  answerLost?: true;
}

/**
 * What the resident of `chatId` received, in order: consecutive copies of a message whose
 * answer was lost count once (the resend the sender could not avoid).
 */
export function received<T extends Delivered>(delivered: readonly T[], chatId: string): T[] {
  const kept: T[] = [];
  for (const message of delivered) {
    if (message.chatId !== chatId) continue;
    const last = kept.at(-1);
    if (last?.answerLost && last.text === message.text) kept[kept.length - 1] = message;
    else kept.push(message);
  }
  return kept;
}
