import type { ActionRegistry } from "./action.js";
import { contactActions } from "./actions/contact.js";
import { needActions } from "./actions/needs.js";
import { programmeActions } from "./actions/programmes.js";

/** Every named action a flow can call (`type: action` steps), by name. */
export const actions: ActionRegistry = {
  ...contactActions,
  ...programmeActions,
  ...needActions,
};
