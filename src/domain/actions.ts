import type { ActionRegistry } from "./action.js";
import { attendanceActions } from "./actions/attendance.js";
import { contactActions } from "./actions/contact.js";
import { linkingActions } from "./actions/linking.js";
import { needActions } from "./actions/needs.js";
import { programmeActions } from "./actions/programmes.js";

/** Every named action a flow can call (`type: action` steps), by name. */
export const actions: ActionRegistry = {
  ...attendanceActions,
  ...contactActions,
  ...linkingActions,
  ...programmeActions,
  ...needActions,
};
