/** Understanding residents' messages: pure functions, no I/O. */
export {
  type CommandMode,
  detectCommand,
  type GlobalCommand,
  LOOSE_MAX_WORDS,
} from "./commands.js";
export { parseDate } from "./dates.js";
export { closeEnough, MIN_TYPO_LENGTH, withinOneEdit } from "./fuzzy.js";
export { canonicalTokens, canonicalWord, canonicalWords, numberFromWords } from "./lexicon.js";
export {
  type ChoiceOption,
  type ChoiceResult,
  findKeyword,
  type MultiChoiceResult,
  matchChoice,
  matchMultiChoice,
  matchNumber,
  matchYesNo,
} from "./match.js";
export { normalise, tokens } from "./normalise.js";
export { type PhoneResult, parsePhone, redactPhone } from "./phone.js";
export { type Area, type AreaResult, matchArea } from "./places.js";
