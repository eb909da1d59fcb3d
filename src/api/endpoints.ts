import type { Endpoint } from "./endpoint.js";
import { broadcastEndpoints } from "./resources/broadcasts.js";
import { organisationEndpoints } from "./resources/organisation.js";

/** Every endpoint of /api/v1, resource by resource. */
export const apiEndpoints: readonly Endpoint[] = [...organisationEndpoints, ...broadcastEndpoints];
