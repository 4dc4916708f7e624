const audit = require('./lib/server/src/methods/audit');
const events = require('./lib/server/src/methods/events');
const ledger = require('./lib/server/src/methods/ledger');
const profile = require('./lib/server/src/methods/profile');

exports = {
  getAccessOverview: function (args) {
    return audit.getAccessOverview(args, platform());
  },
  getUserAccess: function (args) {
    return audit.getUserAccess(args, platform());
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
  },
  onAppInstall: function (args) {
    return events.onAppInstall(args, eventPlatform());
  },
  onScheduledEvent: function (args) {
    return events.onScheduledEvent(args, eventPlatform());
  },
  onUserCreate: function (args) {
    return events.onUserCreate(args, eventPlatform());
  },
  onUserUpdate: function (args) {
    return events.onUserUpdate(args, eventPlatform());
  },
  onUserDelete: function (args) {
    return events.onUserDelete(args, eventPlatform());
  }
};

// Helpers go after the exports block: FDK's parser rejects server.js otherwise (docs/platform-contract.md).
// They pass the FDK globals each handler needs, so the TypeScript methods stay plain functions.
// Server methods get $schedule too: a view that finds the background refresh stopped re-creates it.
function platform() {
  return { request: $request, store: $db, reply: renderData, schedule: $schedule };
}

function eventPlatform() {
  return { request: $request, store: $db, reply: renderData, schedule: $schedule };
}
