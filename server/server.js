const audit = require('./lib/server/src/methods/audit');
const ledger = require('./lib/server/src/methods/ledger');
const profile = require('./lib/server/src/methods/profile');

exports = {
  getAccessOverview: function (args) {
    return audit.getAccessOverview(args, platform());
  },
  getUserAccess: function (args) {
    return audit.getUserAccess(args, platform());
  },
  listAccountAdmins: function (args) {
    return audit.listAccountAdmins(args, platform());
  },
  requestApiKey: function (args) {
    return ledger.requestApiKey(args, platform());
  },
  recordApiKeyAction: function (args) {
    return ledger.recordApiKeyAction(args, platform());
  },
  listPendingRequests: function (args) {
    return ledger.listPendingRequests(args, platform());
  },
  getApiKeyState: function (args) {
    return ledger.getApiKeyState(args, platform());
  },
  getAuditTrail: function (args) {
    return ledger.getAuditTrail(args, platform());
  },
  listApiKeyStates: function (args) {
    return ledger.listApiKeyStates(args, platform());
  },
  getProfileAccess: function (args) {
    return profile.getProfileAccess(args, platform());
  }
};

// Helpers go after the exports block: FDK's parser rejects server.js otherwise (docs/platform-contract.md).
// The FDK globals each server method needs, passed in so the TypeScript methods stay plain functions.
function platform() {
  return { request: $request, store: $db, reply: renderData };
}
