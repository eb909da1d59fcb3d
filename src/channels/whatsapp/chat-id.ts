import { redactPhone } from "../../engine/understand/phone.js";

/**
 * What a WhatsApp chat id names. A resident writes from a personal chat: 62812…@c.us (the
 * server is "c.us", the user part is the phone number) or 1234…@lid (a privacy id: the phone
 * number is not told). Groups, status updates, channels and broadcast lists are not residents.
 */
export type ChatKind = "personal" | "group" | "status" | "newsletter" | "broadcast" | "other";

const personalChat = /^\d{5,20}@(?:c\.us|lid)$/;

export function chatKind(chatId: string): ChatKind {
  if (personalChat.test(chatId)) return "personal";
  if (chatId === "status@broadcast") return "status";
  if (chatId.endsWith("@g.us")) return "group";
  if (chatId.endsWith("@newsletter")) return "newsletter";
  if (chatId.endsWith("@broadcast")) return "broadcast";
  return "other";
}

/** A one-to-one chat id: 62812…@c.us or …@lid (never a group, broadcast or channel). */
export function isPersonalChatId(chatId: string): boolean {
  return chatKind(chatId) === "personal";
}

const phoneChat = /^([1-9]\d{7,14})@c\.us$/;

/**
 * The sender's phone in E.164 ("+6281234567890") from a @c.us id; undefined for @lid (WhatsApp
 * does not tell the number) and anything else. BAHASA.md: keep the chat id and the phone apart.
 */
export function phoneOfChatId(chatId: string): string | undefined {
  const match = phoneChat.exec(chatId);
  return match ? `+${match[1]}` : undefined;
}

/** A chat id safe for logs: "+62812****890@c.us", "****123@lid", "****@g.us". */
export function redactChatId(chatId: string): string {
  const [user = "", server = ""] = chatId.split("@");
  const phone = phoneOfChatId(chatId);
  if (phone) return `${redactPhone(phone)}@c.us`;
  if (server === "lid" && user.length > 6) return `****${user.slice(-3)}@lid`;
  return `****@${server}`;
}
