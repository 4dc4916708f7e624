/**
 * Names of the request templates in config/requests.json (and manifest modules.common.requests).
 * Server code reaches Freshservice only through these.
 */
export const TEMPLATES = {
  /** GET /api/v2/roles?page=&per_page=100 */
  listRoles: 'listRoles',
  /** GET /api/v2/agents?active=&page=&per_page=100 */
  listAgents: 'listAgents',
  /** GET /api/v2/agents?email= (deactivated agents included): the only single-agent lookup, so no template has a caller's value in its path. */
  findAgentByEmail: 'findAgentByEmail',
} as const;

export type TemplateName = (typeof TEMPLATES)[keyof typeof TEMPLATES];

/** Freshservice's largest page size; the app always asks for it so an audit needs the fewest requests. */
export const PAGE_SIZE = 100;
