/*
 * Install-page checks (FDK dynamic installation parameters). FDK calls checkDomain and
 * checkApiKey by name when the fields change (see "events" in config/iparams.json). Each
 * resolves '' when the value is fine, or the message to show under the field, so the admin
 * learns exactly what is wrong before saving: a wrong domain, a wrong or disabled key, or a
 * key whose owner lacks an admin role. Plain browser JavaScript: FDK loads it as is.
 */
let appClient = null;

const FRESHSERVICE_HOST_SUFFIX = '.freshservice.com';
const SUBDOMAIN_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const INSTALL_MESSAGES = {
  domainFormat: 'Enter only your Freshservice subdomain: for https://acme.freshservice.com enter acme.',
  domainUnknown: 'No Freshservice account answers at DOMAIN. Check the subdomain (for https://acme.freshservice.com enter acme).',
  keyRejected: 'Freshservice rejected this API key: it is wrong or has been disabled. Copy the key again from Profile Settings > API key of an agent with an admin role.',
  ownerNotAdmin: "This API key works, but its owner may not view agents and roles. Use the key of an agent with an admin role (Account Admin or Admin).",
  rateLimited: 'Freshservice is rate limiting this account right now. Wait a minute, then change the field again to re-check.',
  unavailable: 'Freshservice did not answer (server error or timeout). Try again in a few minutes.',
  checkDomainFirst: 'The key cannot be checked until the domain is right: ',
};

/** The subdomain in what the admin typed ("acme", "acme.freshservice.com", "https://acme.freshservice.com/"), or ''. */
function subdomainOf(value) {
  const typed = String(value || '').trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  const subdomain = typed.endsWith(FRESHSERVICE_HOST_SUFFIX) ? typed.slice(0, -FRESHSERVICE_HOST_SUFFIX.length) : typed;
  return SUBDOMAIN_PATTERN.test(subdomain) ? subdomain : '';
}

function readableList(body, listName) {
  try {
    return Array.isArray(JSON.parse(body)[listName]);
  } catch {
    return false;
  }
}

/** The status of one check request; a 200 that is not Freshservice's JSON (a web page) counts as 404. */
async function probe(templateName, listName, domain, apiKey) {
  const fdk = await (appClient || (appClient = app.initialized()));
  try {
    const answer = await fdk.request.invokeTemplate(templateName, { context: { domain: domain, api_key: apiKey } });
    return readableList(answer.response, listName) ? 200 : 404;
  } catch (failure) {
    return Number((failure && failure.status) || 0);
  }
}

function domainUnknown(domain) {
  return { field: 'freshservice_domain', message: INSTALL_MESSAGES.domainUnknown.replace('DOMAIN', domain + FRESHSERVICE_HOST_SUFFIX) };
}

const VERDICTS_BY_STATUS = {
  401: function () { return { field: 'api_key', message: INSTALL_MESSAGES.keyRejected }; },
  403: function () { return { field: 'api_key', message: INSTALL_MESSAGES.ownerNotAdmin }; },
  429: function () { return { field: 'api_key', message: INSTALL_MESSAGES.rateLimited }; },
};

/**
 * What is wrong, from the statuses of the two checks (agents, then roles), or null when both
 * passed. 404, a connection failure (502, or no status) and redirects mean no account there.
 */
function verdictFor(domain, agentsStatus, rolesStatus) {
  const status = agentsStatus === 200 ? rolesStatus : agentsStatus;
  if (status === 200) {
    return null;
  }
  const known = VERDICTS_BY_STATUS[status];
  if (known) {
    return known();
  }
  if (status >= 500 && status !== 502) {
    return { field: 'api_key', message: INSTALL_MESSAGES.unavailable };
  }
  return domainUnknown(domain);
}

/** Checks the domain and key together (two template requests), once both are filled in. */
async function verifySettings() {
  const domain = subdomainOf(utils.get('freshservice_domain'));
  const apiKey = String(utils.get('api_key') || '').trim();
  if (!domain || !apiKey) {
    return null;
  }
  const agentsStatus = await probe('checkAgentsAccess', 'agents', domain, apiKey);
  const rolesStatus = agentsStatus === 200 ? await probe('checkRolesAccess', 'roles', domain, apiKey) : agentsStatus;
  return verdictFor(domain, agentsStatus, rolesStatus);
}

async function checkDomain(value) {
  if (!subdomainOf(value)) {
    return INSTALL_MESSAGES.domainFormat;
  }
  const problem = await verifySettings();
  return problem && problem.field === 'freshservice_domain' ? problem.message : '';
}

async function checkApiKey(value) {
  if (!String(value || '').trim()) {
    return '';
  }
  const problem = await verifySettings();
  if (!problem) {
    return '';
  }
  return problem.field === 'api_key' ? problem.message : INSTALL_MESSAGES.checkDomainFirst + problem.message;
}

// FDK looks the change callbacks up by name on the page's global object.
Object.assign(globalThis, { checkDomain: checkDomain, checkApiKey: checkApiKey });
