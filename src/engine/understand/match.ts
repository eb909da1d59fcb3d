/**
 * Matching a resident's answer against what the bot asked: yes/no, a number, one or several of
 * a list of options, or a keyword. Every function normalises the raw message itself.
 */
export {
  type ChoiceOption,
  type ChoiceResult,
  type MultiChoiceResult,
  matchChoice,
  matchMultiChoice,
} from "./choice.js";
export { findKeyword } from "./keyword.js";
export { matchNumber } from "./number.js";
export { matchYesNo } from "./yesno.js";
