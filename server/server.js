const audit = require('./lib/server/src/methods/audit');
const ledger = require('./lib/server/src/methods/ledger');
const profile = require('./lib/server/src/methods/profile');

// The FDK globals each server method needs, passed in so the TypeScript methods stay plain functions.
function platform() {
  return { request: $request, store: $db, reply: renderData };
}

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
  getApiKeyState: function (args) {
    return ledger.getApiKeyState(args, platform());
  },
  listApiKeyIndex: function (args) {
    return ledger.listApiKeyIndex(args, platform());
  },
  getApiKeyHistory: function (args) {
    return ledger.getApiKeyHistory(args, platform());
  },
  getProfileAccess: function (args) {
    return profile.getProfileAccess(args, platform());
  }
};
