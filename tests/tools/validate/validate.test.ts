import { strict as assert } from 'node:assert';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import { eslintRulesFor, FDK_APP_LINTS, FDK_OWN_LINTS, FDK_SERVER_LINTS } from '../../../tools/validate/lint';
import { formatProblem, type Problem } from '../../../tools/validate/problems';
import { validateApp, type ValidationReport } from '../../../tools/validate/validate';
import { appScript, createFixtureApp, type FixtureApp } from './fixture';

function errorsOf(report: ValidationReport): Problem[] {
  return report.problems.filter((problem) => problem.severity === 'error');
}

/** Asserts an error naming this file and rule, and that its printed line names both too. */
function assertError(report: ValidationReport, file: string, rule: string): Problem {
  const found = errorsOf(report).find((problem) => problem.file === file && problem.rule === rule);
  const seen = report.problems.map(formatProblem).join('\n') || '(no problems)';
  assert.ok(found, `expected an error ${file}: ${rule}; got:\n${seen}`);
  assert.ok(formatProblem(found).startsWith(`${file}: ${rule}: `));
  return found;
}

describe('validateApp', function () {
  let app: FixtureApp;

  beforeEach(function () {
    app = createFixtureApp();
  });

  afterEach(function () {
    app.cleanup();
  });

  it('passes a minimal valid FDK app without errors or warnings', async function () {
    const report = await validateApp(app.root);
    assert.deepEqual(report.problems.map(formatProblem), []);
    assert.equal(report.lintedFileCount, 3);
  });

  describe('the foundation cases', function () {
    it('fails a template invoked but missing from the manifest', async function () {
      app.setJson('manifest.json', ['modules', 'common', 'requests', 'listAgents'], undefined);
      const report = await validateApp(app.root);
      assertError(report, 'server/lib/agents.js', 'templates/undeclared');
      assertError(report, 'config/requests.json', 'templates/one-sided');
    });

    it('fails a var in a built app script', async function () {
      app.write('app/scripts/app.js', appScript('var shown = 1;\nconsole.log(shown);'));
      const found = assertError(await validateApp(app.root), 'app/scripts/app.js', 'eslint/no-var');
      assert.match(found.message, /\(line 9\)$/);
    });

    it('fails a secure iparam substituted in a query', async function () {
      app.setJson('config/requests.json', ['listAgents', 'schema', 'query', 'key'], '<%= iparam.api_key %>');
      assertError(await validateApp(app.root), 'config/requests.json', 'requests/secure-iparam-outside-headers');
    });

    it('fails a value from context in a path: any agent could point the template at another endpoint (this project\'s rule)', async function () {
      app.setJson('config/requests.json', ['listAgents', 'schema', 'path'], '/api/v2/agents/<%= context.agent_id %>');
      const found = assertError(await validateApp(app.root), 'config/requests.json', 'requests/context-in-path');
      assert.match(found.message, /query parameter/);
    });

    it('fails an http protocol', async function () {
      app.setJson('config/requests.json', ['listAgents', 'schema', 'protocol'], 'http');
      assertError(await validateApp(app.root), 'config/requests.json', 'requests/https-only');
    });

    it('fails an unpkg URL', async function () {
      app.write('app/index.html', '<script src="https://unpkg.com/@freshworks/crayons/dist/crayons.js"></script>\n');
      assertError(await validateApp(app.root), 'app/index.html', 'security/unpkg');
    });

    it('fails an unpkg URL written in upper case', async function () {
      app.write('app/index.html', '<link rel="stylesheet" href="HTTPS://UNPKG.COM/@freshworks/crayons/css/crayons-min.css">\n');
      assertError(await validateApp(app.root), 'app/index.html', 'security/unpkg');
    });

    it('fails a manifest function missing from server.js', async function () {
      app.setJson('manifest.json', ['modules', 'common', 'functions', 'getRoles'], { timeout: 20 });
      const found = assertError(await validateApp(app.root), 'server/server.js', 'functions/missing-export');
      assert.match(found.message, /getRoles/);
    });

    it('fails an unknown placeholder', async function () {
      app.setJson('manifest.json', ['modules', 'service_user', 'location', 'agent_sidebar'], { url: 'index.html', icon: 'styles/icon.svg' });
      const found = assertError(await validateApp(app.root), 'manifest.json', 'manifest/unknown-placeholder');
      assert.match(found.message, /agent_sidebar/);
    });
  });

  describe('manifest', function () {
    it('fails a platform-version other than 3.0', async function () {
      app.setJson('manifest.json', ['platform-version'], '2.3');
      assertError(await validateApp(app.root), 'manifest.json', 'manifest/schema');
    });

    it('fails a module that is not a Freshservice module', async function () {
      app.setJson('manifest.json', ['modules', 'service_problem'], {});
      assertError(await validateApp(app.root), 'manifest.json', 'manifest/unknown-module');
    });

    it('fails a manifest with only the common module', async function () {
      app.setJson('manifest.json', ['modules', 'service_user'], undefined);
      assertError(await validateApp(app.root), 'manifest.json', 'manifest/product-module');
    });

    it('fails a function name that breaks FDK\'s rule', async function () {
      app.setJson('manifest.json', ['modules', 'common', 'functions', '1getAgents'], { timeout: 20 });
      assertError(await validateApp(app.root), 'manifest.json', 'manifest/function-name');
    });

    it('fails a function timeout FDK does not allow', async function () {
      app.setJson('manifest.json', ['modules', 'common', 'functions', 'getAgents', 'timeout'], 60);
      assertError(await validateApp(app.root), 'manifest.json', 'manifest/schema');
    });

    it('fails a dependency version that is not exact', async function () {
      app.setJson('manifest.json', ['dependencies', 'zod'], '^4.6.7');
      assertError(await validateApp(app.root), 'manifest.json', 'manifest/schema');
    });

    it('fails engines naming FDK 9 or Node 18, which cannot publish', async function () {
      app.setJson('manifest.json', ['engines'], { node: '18.20.0', fdk: '9.6.0' });
      const found = assertError(await validateApp(app.root), 'manifest.json', 'manifest/schema');
      assert.match(found.message, /engines\.node must be a Node 24\.11 version/);
      assert.ok(errorsOf(await validateApp(app.root)).some((problem) => /engines\.fdk must be an FDK 10 version/.test(problem.message)));
    });

    it('fails a missing engines block', async function () {
      app.setJson('manifest.json', ['engines'], undefined);
      assertError(await validateApp(app.root), 'manifest.json', 'manifest/schema');
    });

    it("accepts the editor placeholders Freshworks lists for service_ticket", async function () {
      app.setJson('manifest.json', ['modules', 'service_ticket'], {
        location: {
          ticket_conversation_editor: { url: 'index.html', icon: 'styles/icon.svg' },
          new_ticket_description_editor: { url: 'index.html', icon: 'styles/icon.svg' },
        },
      });
      assert.deepEqual((await validateApp(app.root)).problems.map(formatProblem), []);
    });

    it('fails an empty location block', async function () {
      app.setJson('manifest.json', ['modules', 'service_user', 'location'], {});
      const found = assertError(await validateApp(app.root), 'manifest.json', 'manifest/empty-location');
      assert.match(found.message, /modules\.service_user\.location is empty/);
    });

    it('fails a location whose icon file is missing', async function () {
      app.remove('app/styles/icon.svg');
      const found = assertError(await validateApp(app.root), 'manifest.json', 'location/missing-file');
      assert.match(found.message, /app\/styles\/icon\.svg/);
    });

    it('fails a location whose page is missing', async function () {
      app.setJson('manifest.json', ['modules', 'common', 'location', 'full_page_app', 'url'], 'console.html');
      assertError(await validateApp(app.root), 'manifest.json', 'location/missing-file');
    });
  });

  describe('request templates', function () {
    const hosts = [
      ['a protocol', 'https://acme.freshservice.com'],
      ['a path', 'api.example.com/v2'],
      ['an IP address', '10.0.0.1'],
      ['a port', 'api.example.com:8443'],
      ['no domain', 'localhost'],
    ];
    for (const [what, host] of hosts) {
      it(`fails a host with ${what}`, async function () {
        app.setJson('config/requests.json', ['listAgents', 'schema', 'host'], host);
        assertError(await validateApp(app.root), 'config/requests.json', 'requests/host');
      });
    }

    it('accepts a host that is a substitution alone', async function () {
      app.setJson('config/requests.json', ['listAgents', 'schema', 'host'], '<%= iparam.domain %>');
      assert.deepEqual(errorsOf(await validateApp(app.root)), []);
    });

    it('fails a path without a leading slash', async function () {
      app.setJson('config/requests.json', ['listAgents', 'schema', 'path'], 'api/v2/agents');
      assertError(await validateApp(app.root), 'config/requests.json', 'requests/path');
    });

    it('fails a body in a schema', async function () {
      app.setJson('config/requests.json', ['listAgents', 'schema', 'body'], '{}');
      assertError(await validateApp(app.root), 'config/requests.json', 'requests/no-body-in-schema');
    });

    it('fails a secure iparam in the host', async function () {
      app.setJson('config/requests.json', ['listAgents', 'schema', 'host'], '<%= iparam.api_key %>.example.com');
      assertError(await validateApp(app.root), 'config/requests.json', 'requests/secure-iparam-outside-headers');
    });

    it('fails a substitution of something FDK does not substitute', async function () {
      app.setJson('config/requests.json', ['listAgents', 'schema', 'query', 'token'], '<%= process.env.TOKEN %>');
      assertError(await validateApp(app.root), 'config/requests.json', 'requests/substitution');
    });

    it('fails a substitution of an iparam that does not exist', async function () {
      app.setJson('config/requests.json', ['listAgents', 'schema', 'host'], '<%= iparam.subdomain %>.freshservice.com');
      assertError(await validateApp(app.root), 'config/requests.json', 'requests/unknown-iparam');
    });

    it('fails more than 5 attempts, a retry delay over 1500 ms and one not a multiple of 100', async function () {
      app.setJson('config/requests.json', ['listAgents', 'options'], { maxAttempts: 6, retryDelay: 2000 });
      const report = await validateApp(app.root);
      assert.equal(errorsOf(report).filter((problem) => problem.rule === 'requests/schema').length, 2);
      app.setJson('config/requests.json', ['listAgents', 'options'], { retryDelay: 150 });
      assertError(await validateApp(app.root), 'config/requests.json', 'requests/schema');
    });

    it('accepts a template without protocol and path, which FDK defaults to https and /', async function () {
      app.setJson('config/requests.json', ['listAgents', 'schema', 'protocol'], undefined);
      app.setJson('config/requests.json', ['listAgents', 'schema', 'path'], undefined);
      assert.deepEqual(errorsOf(await validateApp(app.root)), []);
    });

    it('fails a Content-Type FDK does not support', async function () {
      app.setJson('config/requests.json', ['listAgents', 'schema', 'headers', 'Content-Type'], 'application/x-www-form-urlencoded');
      assertError(await validateApp(app.root), 'config/requests.json', 'requests/content-type');
    });

    it('fails a template defined in requests.json only', async function () {
      app.setJson('config/requests.json', ['listRoles'], {
        schema: { method: 'GET', protocol: 'https', host: 'api.example.com', path: '/roles' },
      });
      assertError(await validateApp(app.root), 'config/requests.json', 'templates/one-sided');
    });

    it('fails a template listed in the manifest only', async function () {
      app.setJson('manifest.json', ['modules', 'common', 'requests', 'listRoles'], {});
      assertError(await validateApp(app.root), 'manifest.json', 'templates/one-sided');
    });

    it('only warns about a template declared on both sides but never invoked', async function () {
      app.setJson('config/requests.json', ['listRoles'], {
        schema: { method: 'GET', protocol: 'https', host: 'api.example.com', path: '/roles' },
      });
      app.setJson('manifest.json', ['modules', 'common', 'requests', 'listRoles'], {});
      const report = await validateApp(app.root);
      assert.deepEqual(errorsOf(report), []);
      assert.deepEqual(
        report.problems.map((problem) => [problem.file, problem.rule, problem.severity]),
        [['config/requests.json', 'templates/unused', 'warning']],
      );
    });
  });

  it('counts a template named through a constant as used', async function () {
    app.setJson('config/requests.json', ['listRoles'], {
      schema: { method: 'GET', protocol: 'https', host: 'api.example.com', path: '/roles' },
    });
    app.setJson('manifest.json', ['modules', 'common', 'requests', 'listRoles'], {});
    app.write('server/lib/templates.js', "exports.TEMPLATES = { listRoles: 'listRoles' };\n");
    assert.deepEqual((await validateApp(app.root)).problems, []);
  });

  it('checks templates the install page invokes', async function () {
    app.write('config/iparams.html', '<script>client.request.invokeTemplate("checkKey", {});</script>\n');
    assertError(await validateApp(app.root), 'config/iparams.html', 'templates/undeclared');
  });

  describe('iparams', function () {
    it('fails a dropdown default that is not among its options', async function () {
      app.setJson('config/iparams.json', ['view', 'default_value'], 'nobody');
      assertError(await validateApp(app.root), 'config/iparams.json', 'iparams/default-value');
    });

    it('fails a dropdown without options', async function () {
      app.setJson('config/iparams.json', ['view', 'options'], undefined);
      assertError(await validateApp(app.root), 'config/iparams.json', 'iparams/options');
    });

    it('fails an unknown type and a missing display_name', async function () {
      app.setJson('config/iparams.json', ['view', 'type'], 'select');
      app.setJson('config/iparams.json', ['domain', 'display_name'], undefined);
      const report = await validateApp(app.root);
      assert.equal(errorsOf(report).filter((problem) => problem.rule === 'iparams/schema').length, 2);
    });

    /** The problems of one rule, as `severity path-and-message`. */
    const ruleFindings = (report: ValidationReport, rule: string): string[] =>
      report.problems.filter((problem) => problem.rule === rule).map((problem) => `${problem.severity} ${problem.message}`);

    for (const disputedType of ['domain', 'api_key']) {
      it(`fails the type "${disputedType}" without type_attributes.product, which both readings of the sources reject`, async function () {
        app.setJson('config/iparams.json', ['api_key', 'type'], disputedType);
        const found = assertError(await validateApp(app.root), 'config/iparams.json', 'iparams/type-attributes-product');
        assert.match(found.message, new RegExp(`^api_key\\.type_attributes: type "${disputedType}" needs "type_attributes": \\{ "product": "freshservice" \\}.*use "type": "text"`));
      });

      it(`only warns about the type "${disputedType}" with type_attributes.product, which the sources dispute`, async function () {
        app.setJson('config/iparams.json', ['api_key', 'type'], disputedType);
        app.setJson('config/iparams.json', ['api_key', 'type_attributes'], { product: 'freshservice' });
        const report = await validateApp(app.root);
        assert.deepEqual(errorsOf(report), []);
        const [finding, ...others] = ruleFindings(report, 'iparams/type-removed-in-3.0');
        assert.equal(others.length, 0);
        assert.match(finding ?? '', new RegExp(`^warning api_key\\.type: type "${disputedType}" is valid with type_attributes in current Freshworks material.*"type": "text" is accepted under both`));
      });
    }

    it('fails a type_attributes.product other than freshservice', async function () {
      app.setJson('config/iparams.json', ['domain', 'type'], 'domain');
      app.setJson('config/iparams.json', ['domain', 'type_attributes'], { product: 'Freshdesk' });
      assertError(await validateApp(app.root), 'config/iparams.json', 'iparams/type-attributes-product');
    });

    it('only warns about type_attributes on a text iparam', async function () {
      app.setJson('config/iparams.json', ['domain', 'type_attributes'], { product: 'freshservice' });
      const report = await validateApp(app.root);
      assert.deepEqual(errorsOf(report), []);
      assert.deepEqual(ruleFindings(report, 'iparams/type-attributes-removed-in-3.0').length, 1);
    });

    it('fails an app without config/iparams.json or config/iparams.html', async function () {
      app.remove('config/iparams.json');
      app.setJson('config/requests.json', ['listAgents', 'schema', 'host'], 'api.example.com');
      app.setJson('config/requests.json', ['listAgents', 'schema', 'headers'], undefined);
      const found = assertError(await validateApp(app.root), 'config/iparams.json', 'iparams/missing');
      assert.match(found.message, /iparams\.json is mandatory/);
      app.write('config/iparams.html', '<!doctype html><html><body></body></html>\n');
      assert.deepEqual(errorsOf(await validateApp(app.root)), []);
    });

    it('fails an app with both config/iparams.json and config/iparams.html', async function () {
      app.write('config/iparams.html', '<!doctype html><html><body></body></html>\n');
      assertError(await validateApp(app.root), 'config/iparams.html', 'iparams/both');
    });

    it('lints the install page script like app code, with FDK\'s utils global', async function () {
      app.write('config/assets/iparams.js', 'function checkDomain(value) {\n  return utils.get(value) ? Promise.resolve() : Promise.reject(value);\n}\nObject.assign(globalThis, { checkDomain: checkDomain });\n');
      assert.deepEqual((await validateApp(app.root)).problems, []);
      app.write('config/assets/iparams.js', 'var shown = utils.get("domain");\nconsole.log(shown);\n');
      assertError(await validateApp(app.root), 'config/assets/iparams.js', 'eslint/no-var');
    });
  });

  describe('server.js and dependencies', function () {
    it('only warns about an export that is not a manifest function (a helper kept inside exports)', async function () {
      app.write('server/server.js', "const agents = require('./lib/agents');\nexports = {\n  getAgents: function (args) {\n    return agents.getAgents(args, $request, renderData);\n  },\n  getRoles: function () {\n    return renderData(null, []);\n  }\n};\n");
      const report = await validateApp(app.root);
      assert.deepEqual(errorsOf(report), []);
      assert.deepEqual(report.problems.map((problem) => `${problem.severity} ${problem.rule}`), ['warning functions/undeclared-export']);
    });

    const serverWith = (before: string, after: string): string =>
      `const agents = require('./lib/agents');\n${before}exports = {\n  getAgents: function (args) {\n    return agents.getAgents(args, $request, tools());\n  }\n};\n${after}`;

    it('fails a helper function declared before the exports block', async function () {
      app.write('server/server.js', serverWith('function tools() {\n  return renderData;\n}\n', ''));
      const found = assertError(await validateApp(app.root), 'server/server.js', 'server/helper-before-exports');
      assert.match(found.message, /function tools is defined before/);
    });

    it('fails a helper arrow function assigned before the exports block', async function () {
      app.write('server/server.js', serverWith('const tools = () => renderData;\n', ''));
      assertError(await validateApp(app.root), 'server/server.js', 'server/helper-before-exports');
    });

    it('accepts requires and constants before the exports block and helpers after it', async function () {
      app.write('server/server.js', serverWith("const LABEL = 'agents';\n", 'function tools() {\n  console.log(LABEL);\n  return renderData;\n}\n'));
      assert.deepEqual((await validateApp(app.root)).problems.map(formatProblem), []);
    });

    it('fails module.exports instead of a bare exports assignment', async function () {
      app.write('server/server.js', "const agents = require('./lib/agents');\nmodule.exports = { getAgents: agents.getAgents };\n");
      assertError(await validateApp(app.root), 'server/server.js', 'server/exports-shape');
    });

    it('fails an undeclared dependency', async function () {
      app.write('server/lib/http.js', "const axios = require('axios');\nexports.get = axios.get;\n");
      const found = assertError(await validateApp(app.root), 'server/lib/http.js', 'dependencies/undeclared');
      assert.match(found.message, /axios/);
    });

    it('fails a Node built-in the sandbox does not have', async function () {
      app.write('server/lib/files.js', "const fs = require('node:fs');\nexports.read = fs.readFileSync;\n");
      const found = assertError(await validateApp(app.root), 'server/lib/files.js', 'dependencies/undeclared');
      assert.match(found.message, /built-in/);
    });

    it('fails a declared dependency nothing requires', async function () {
      app.setJson('manifest.json', ['dependencies', 'lodash'], '4.17.21');
      app.write('node_modules/lodash/package.json', '{ "name": "lodash", "version": "4.17.21" }\n');
      const found = assertError(await validateApp(app.root), 'manifest.json', 'dependencies/unused');
      assert.match(found.message, /lodash/);
    });

    it('fails a declared version that differs from the installed one', async function () {
      app.setJson('manifest.json', ['dependencies', 'zod'], '4.6.6');
      assertError(await validateApp(app.root), 'manifest.json', 'dependencies/version-mismatch');
    });

    it('fails when the built output is missing', async function () {
      app.remove('server/lib');
      const found = assertError(await validateApp(app.root), 'server/lib', 'build/missing-output');
      assert.match(found.message, /npm run build/);
    });
  });

  describe('ESLint with FDK\'s rules', function () {
    const complexity8 = [
      'function pick(a, b, c, d, e, f, g) {',
      '  if (a) { return 1; }',
      '  if (b) { return 2; }',
      '  if (c) { return 3; }',
      '  if (d) { return 4; }',
      '  if (e) { return 5; }',
      '  if (f) { return 6; }',
      '  if (g) { return 7; }',
      '  return 0;',
      '}',
      'console.log(pick(1, 2, 3, 4, 5, 6, 7));',
    ].join('\n');
    const fiveCallbacks = [
      '[1].forEach(() => {',
      '  [2].forEach(() => {',
      '    [3].forEach(() => {',
      '      [4].forEach(() => {',
      '        [5].forEach((n) => { console.log(n); });',
      '      });',
      '    });',
      '  });',
      '});',
    ].join('\n');
    const cases: [string, string, string][] = [
      ['complexity 8', complexity8, 'eslint/complexity'],
      ['5 nested callbacks', fiveCallbacks, 'eslint/max-nested-callbacks'],
      ['an unused parameter _x', 'function greet(name, _x) { console.log(name); }\ngreet(1);', 'eslint/no-unused-vars'],
      ['an async function without await', 'async function load() { return 1; }\nconsole.log(load());', 'eslint/require-await'],
      ['innerHTML with data', "document.body.innerHTML = location.hash;", 'eslint/no-unsanitized/property'],
      ['outerHTML with data', "document.body.outerHTML = location.hash;", 'eslint/no-unsanitized/property'],
      ['document.write with data', "document.write(location.hash);", 'eslint/no-unsanitized/method'],
      ['insertAdjacentHTML with data', "document.body.insertAdjacentHTML('beforeend', location.hash);", 'eslint/no-unsanitized/method'],
      ['an unhandled promise', "app.initialized().then((client) => console.log(client));", 'eslint/promise/catch-or-return'],
      ['eval', "eval('1');", 'eslint/no-eval'],
      ['setTimeout with a string', "setTimeout('alert(1)', 1);", 'eslint/no-implied-eval'],
      ['alert', "alert('hi');", 'eslint/no-alert'],
      ['== null', "if (document.body == null) { console.log('none'); }", 'eslint/no-eq-null'],
      ['an empty function', 'document.body.addEventListener("click", function () {});', 'eslint/no-empty-function'],
      ['a redeclared function', 'function twice() { return 1; }\nfunction twice() { return 2; }\nconsole.log(twice());', 'eslint/no-redeclare'],
      ['a self-assignment', 'let count = 1;\ncount = count;\nconsole.log(count);', 'eslint/no-self-assign'],
      ['debugger', 'debugger;', 'eslint/no-debugger'],
      ['unreachable code', 'function stop() { return 1; console.log("never"); }\nconsole.log(stop());', 'eslint/no-unreachable'],
      ['a control character in a regular expression', 'console.log(/\\x07/.test(location.hash));', 'eslint/no-control-regex'],
      ['== instead of ===', "if (location.hash == '#a') { console.log('a'); }", 'eslint/eqeqeq'],
      ['a let that is never reassigned', 'let once = 1;\nconsole.log(once);', 'eslint/prefer-const'],
      ['an empty block', "if (location.hash) {}\nconsole.log('done');", 'eslint/no-empty'],
      ['hasOwnProperty called on the object', "console.log(location.hasOwnProperty('hash'));", 'eslint/no-prototype-builtins'],
      ['a useless escape', "console.log('\\a');", 'eslint/no-useless-escape'],
      ['a callback that ignores its error', 'function done(err, data) { console.log(data); }\ndone(null, 1);', 'eslint/handle-callback-err'],
      ['arguments.callee', 'function self() { return arguments.callee; }\nconsole.log(self());', 'eslint/no-caller'],
    ];
    for (const [what, code, rule] of cases) {
      it(`fails ${what} in an app script`, async function () {
        app.write('app/scripts/app.js', appScript(code));
        assertError(await validateApp(app.root), 'app/scripts/app.js', rule);
      });
    }

    it('lints built server files as CommonJS with FDK globals, and catches unused parameters there', async function () {
      app.write('server/lib/roles.js', "'use strict';\nfunction listRoles(_args, reply) {\n  reply(null, []);\n}\nexports.listRoles = listRoles;\n");
      const found = assertError(await validateApp(app.root), 'server/lib/roles.js', 'eslint/no-unused-vars');
      assert.match(found.message, /'_args'/);
    });

    it('lints built server files with FDK\'s server list: process.env is refused there', async function () {
      app.write('server/lib/env.js', "'use strict';\nexports.region = process.env.REGION;\n");
      assertError(await validateApp(app.root), 'server/lib/env.js', 'eslint/no-process-env');
    });

    it('applies every ESLint rule of FDK\'s lists as an error, and each of FDK\'s own rules through a check of ours or nothing', function () {
      for (const lints of [FDK_APP_LINTS, FDK_SERVER_LINTS]) {
        const rules = eslintRulesFor(lints);
        for (const name of lints) {
          if (Object.hasOwn(FDK_OWN_LINTS, name)) {
            assert.equal(rules[name], undefined, `${name} is FDK's own rule, not ESLint's`);
          } else {
            assert.ok(builtinRules.has(name), `${name} is not an ESLint core rule`);
            assert.equal([rules[name]].flat()[0], 'error', `${name} is not an error`);
          }
        }
      }
      assert.deepEqual(
        FDK_APP_LINTS.filter((name) => !FDK_SERVER_LINTS.some((other) => other === name)),
        ['no-cross-scope-assign'],
      );
    });

    it('lints vendored JavaScript under app/ too', async function () {
      app.write('app/vendor/lib.js', 'var legacy = 1;\nconsole.log(legacy);\n');
      assertError(await validateApp(app.root), 'app/vendor/lib.js', 'eslint/no-var');
    });
  });
});
