import type { Endpoint } from "./endpoint.js";
import { broadcastEndpoints } from "./resources/broadcasts.js";
import { contactEndpoints } from "./resources/contacts.js";
import { needEndpoints } from "./resources/needs.js";
import { organisationEndpoints } from "./resources/organisation.js";
import { programmeEndpoints } from "./resources/programmes.js";
import { registrationEndpoints } from "./resources/registrations.js";
import { sessionEndpoints } from "./resources/sessions.js";

/** Every endpoint of /api/v1, resource by resource. */
export const apiEndpoints: readonly Endpoint[] = [
  ...organisationEndpoints,
  ...programmeEndpoints,
  ...sessionEndpoints,
  ...registrationEndpoints,
  ...broadcastEndpoints,
  ...needEndpoints,
  ...contactEndpoints,
];
