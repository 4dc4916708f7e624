/*
 * Install-page checks (FDK dynamic installation parameters). FDK calls checkDomain and
 * checkApiKey by name when a field changes (see "events" in config/iparams.json).
 *
 * Contract, as in Freshworks' samples for Platform 3.0: each callback returns a promise that
 * RESOLVES (with nothing) when the value is fine and REJECTS with the message to show under
 * the field when it is not. A resolved message would most likely be read as "valid", so a
 * problem is never resolved.
 *
 * Since 3.0 both fields are plain "text" iparams: nothing but this file stops a pasted URL from
 * being saved raw, so the domain must be a bare subdomain ("acme") before anything else runs.
 * The change event fires on every keystroke: the network check waits until typing pauses
 * (CHECK_DELAY_MS), and only the newest check answers; every callback still waiting gets that
 * newest answer, so an older, slower check can never overwrite it.
 *
 * Plain browser JavaScript: FDK loads it as is and lints it like app code.
 */
let appClient = null;

const CHECK_DELAY_MS = 500;
const DOMAIN_FIELD = 'freshservice_domain';
const KEY_FIELD = 'api_key';
const SECRET_FIELD = 'storage_secret';
const SECRET_BYTES = 32;
const FRESHSERVICE_HOST_SUFFIX = '.freshservice.com';
const SUBDOMAIN_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
// When settings are edited later, FDK may hand a secure value back masked (or empty).
const MASKED_VALUE = /^[*•●]+$/;

const INSTALL_MESSAGES = {
  domainFormat: 'Enter only your Freshservice subdomain: for https://acme.freshservice.com enter acme.',
  domainBare: 'Enter only the subdomain: SUBDOMAIN (you entered TYPED; the app adds https:// and .freshservice.com itself).',
  domainUnknown: 'No Freshservice account answers at DOMAIN. Check the subdomain (for https://acme.freshservice.com enter acme).',
  keyRejected: 'Freshservice rejected this API key: it is wrong or has been disabled. Copy the key again from Profile Settings > API key of an agent with an admin role.',
  ownerNotAdmin: 'This API key works, but its owner may not view agents and roles. Use the key of an agent with an admin role (Account Admin or Admin).',
  rateLimited: 'Freshservice is rate limiting this account right now. Wait a minute, then change the field again to re-check.',
  unavailable: 'Freshservice did not answer (server error or timeout). Try again in a few minutes.',
  checkDomainFirst: 'The key cannot be checked until the domain is right: ',
};

/** The subdomain inside a pasted URL or host ("https://acme.freshservice.com/" -> "acme"), or ''. */
function subdomainInside(typed) {
  const host = typed.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/[/?#].*$/, '');
  const subdomain = host.endsWith(FRESHSERVICE_HOST_SUFFIX) ? host.slice(0, -FRESHSERVICE_HOST_SUFFIX.length) : host;
  return SUBDOMAIN_PATTERN.test(subdomain) ? subdomain : '';
}

/** What is wrong with the typed domain, or '' when it is a bare subdomain saved as is. */
function domainFormatProblem(value) {
  const typed = String(value || '');
  if (SUBDOMAIN_PATTERN.test(typed)) {
    return '';
  }
  const subdomain = subdomainInside(typed);
  return subdomain ? INSTALL_MESSAGES.domainBare.replace('SUBDOMAIN', subdomain).replace('TYPED', JSON.stringify(typed)) : INSTALL_MESSAGES.domainFormat;
}

/** A key worth sending: not empty and not the mask of a saved secure value (that stays unchanged, unchecked). */
function usableKey(value) {
  const key = String(value || '').trim();
  return MASKED_VALUE.test(key) ? '' : key;
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
  return { field: DOMAIN_FIELD, message: INSTALL_MESSAGES.domainUnknown.replace('DOMAIN', domain + FRESHSERVICE_HOST_SUFFIX) };
}

const VERDICTS_BY_STATUS = {
  401: function () { return { field: KEY_FIELD, message: INSTALL_MESSAGES.keyRejected }; },
  403: function () { return { field: KEY_FIELD, message: INSTALL_MESSAGES.ownerNotAdmin }; },
  429: function () { return { field: KEY_FIELD, message: INSTALL_MESSAGES.rateLimited }; },
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
    return { field: KEY_FIELD, message: INSTALL_MESSAGES.unavailable };
  }
  return domainUnknown(domain);
}

// The newest value each callback was called with: utils.get may lag behind the change event.
const typedValues = {};

function currentValue(field) {
  return Object.hasOwn(typedValues, field) ? typedValues[field] : utils.get(field);
}

/**
 * Checks the domain and key together (two template requests), once both are usable. A check
 * that a newer one replaced while its first request ran skips the second: nobody will read it.
 */
async function verifySettings(stillNewest) {
  const domain = String(currentValue(DOMAIN_FIELD) || '');
  const apiKey = usableKey(currentValue(KEY_FIELD));
  if (domainFormatProblem(domain) || !apiKey) {
    return null;
  }
  const agentsStatus = await probe('checkAgentsAccess', 'agents', domain, apiKey);
  const rolesStatus = agentsStatus === 200 && stillNewest() ? await probe('checkRolesAccess', 'roles', domain, apiKey) : agentsStatus;
  return verdictFor(domain, agentsStatus, rolesStatus);
}

// Callbacks waiting for the newest verdict, and the number of the newest check asked for.
let waitingCallbacks = [];
let newestCheck = 0;
let checkTimer = null;

/** Settles every waiting callback with one verdict, so all of them show the newest state. */
function answerWaiting(verdict) {
  const answered = waitingCallbacks;
  waitingCallbacks = [];
  answered.forEach(function (settle) { settle(verdict); });
}

async function runCheck(checkNumber) {
  let verdict;
  try {
    verdict = await verifySettings(function () { return checkNumber === newestCheck; });
  } catch {
    verdict = { field: KEY_FIELD, message: INSTALL_MESSAGES.unavailable };
  }
  if (checkNumber === newestCheck) {
    answerWaiting(verdict);
  }
}

/** Drops any check not yet answered: a newer value (or a format error) replaces it. */
function supersedeChecks() {
  newestCheck += 1;
  clearTimeout(checkTimer);
  checkTimer = null;
}

/** The verdict of a check that starts once typing has paused for CHECK_DELAY_MS. */
function newestVerdict() {
  supersedeChecks();
  const checkNumber = newestCheck;
  return new Promise(function (settle) {
    waitingCallbacks.push(settle);
    checkTimer = setTimeout(function () { runCheck(checkNumber); }, CHECK_DELAY_MS);
  });
}

function domainOutcome(verdict) {
  if (verdict && verdict.field === DOMAIN_FIELD) {
    throw verdict.message;
  }
}

/**
 * The key field also shows why the domain stops its check (no account there), since the domain
 * field may have passed its format check long ago; a domain format error stays under the domain.
 */
function keyOutcome(verdict) {
  if (!verdict || verdict.formatOnly) {
    return;
  }
  throw verdict.field === KEY_FIELD ? verdict.message : INSTALL_MESSAGES.checkDomainFirst + verdict.message;
}

function checkDomain(value) {
  typedValues[DOMAIN_FIELD] = value;
  const problem = domainFormatProblem(value);
  if (!problem) {
    return newestVerdict().then(domainOutcome);
  }
  // Refused at once, with no request; checks still waiting end with the same verdict.
  const verdict = { field: DOMAIN_FIELD, message: problem, formatOnly: true };
  supersedeChecks();
  answerWaiting(verdict);
  return Promise.reject(problem);
}

function checkApiKey(value) {
  typedValues[KEY_FIELD] = value;
  return newestVerdict().then(keyOutcome);
}

/** 32 random bytes as base64url (43 characters), from the browser's cryptographic generator. */
function randomSecret() {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  return btoa(String.fromCharCode.apply(null, Array.from(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * On a first installation the page creates the storage secret (the server keys and seals the
 * app's records with it, so they survive an API-key change). Only then: a first installation is
 * told by an empty domain, since editing settings shows the saved domain. A saved secret is
 * never replaced (editing shows it empty or masked, and FDK keeps a secure value left as it is).
 */
function onFormLoad() {
  if (String(utils.get(DOMAIN_FIELD) || '') === '' && String(utils.get(SECRET_FIELD) || '') === '') {
    utils.set(SECRET_FIELD, { value: randomSecret() });
  }
}

// FDK looks the change callbacks (and onFormLoad) up by name on the page's global object.
Object.assign(globalThis, { checkDomain: checkDomain, checkApiKey: checkApiKey, onFormLoad: onFormLoad });
