import type { Endpoint } from "./endpoint.js";
import { contactEndpoints } from "./resources/contacts.js";
import { needEndpoints } from "./resources/needs.js";
import { organisationEndpoints } from "./resources/organisation.js";

/** Every endpoint of /api/v1, resource by resource. */
export const apiEndpoints: readonly Endpoint[] = [
  ...organisationEndpoints,
  ...needEndpoints,
  ...contactEndpoints,
];
