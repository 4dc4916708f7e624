/**
 * The app origin: the app's pages from app/ with `{{{appclient}}}` rendered by handlebars,
 * as FDK does, the client library, and Crayons answered from the installed npm package
 * instead of jsDelivr, so a page keeps the CDN URLs FDK requires and still works offline.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { compile } from 'handlebars';
import { fileWithin, sendFile, send, sendText } from './http';

export const CRAYONS_CDN_PREFIX = 'https://cdn.jsdelivr.net/npm/@freshworks/crayons@v4/';
export const CRAYONS_ROUTE = '/_crayons/';
/** Crayons' fw-icon fetches its SVGs from another CDN package; answered locally when it is installed. */
export const CRAYONS_ICON_CDN_PREFIX = 'https://cdn.jsdelivr.net/npm/@freshworks/crayons-icon@next/';
export const CRAYONS_ICON_ROUTE = '/_crayons-icon/';
export const CLIENT_ROUTE = '/_runtime/client.js';
export const APP_ROUTE = '/app/';
const SHELL_ORIGIN_TOKEN = '__FDK_RUNTIME_SHELL_ORIGIN__';

export interface AppSite {
  /** Answers a GET on the app origin; false when the path is not one of its routes. */
  handle(path: string, response: ServerResponse): boolean;
}

export function crayonsRoot(): string {
  return dirname(require.resolve('@freshworks/crayons/package.json'));
}

/** Where tools/fetch-crayons-icons.mjs unpacks the icons (that package cannot be npm-installed: see docs/runtime.md). */
export const VENDORED_CRAYONS_ICON = join('.fdk', 'vendor', 'crayons-icon');

/** The installed or vendored @freshworks/crayons-icon package, or null (then icons need the network). */
export function crayonsIconRoot(appRoot: string): string | null {
  try {
    return dirname(require.resolve('@freshworks/crayons-icon/package.json'));
  } catch {
    const vendored = join(appRoot, VENDORED_CRAYONS_ICON);
    return existsSync(join(vendored, 'dist', 'icons')) ? vendored : null;
  }
}

/** The page as FDK would send it, with the Crayons CDN pointed at this runtime. */
export function renderAppPage(html: string, appClientUrl: string): string {
  const rendered = compile(html)({ appclient: appClientUrl });
  return rendered.split(CRAYONS_CDN_PREFIX).join(CRAYONS_ROUTE);
}

export function createAppSite(options: { appRoot: string; appOrigin: string; shellOrigin: string; clientScript: string }): AppSite {
  const appFolder = join(options.appRoot, 'app');
  const crayons = crayonsRoot();
  const icons = crayonsIconRoot(options.appRoot);
  const client = readFileSync(options.clientScript, 'utf8').split(SHELL_ORIGIN_TOKEN).join(options.shellOrigin);
  const appClientUrl = `${options.appOrigin}${CLIENT_ROUTE}`;

  function serveApp(path: string, response: ServerResponse): void {
    const file = fileWithin(appFolder, path);
    if (file === null) {
      sendText(response, 404, `No file app/${path} in this app`);
    } else if (extname(file).toLowerCase() === '.html') {
      send(response, 200, 'text/html; charset=utf-8', renderAppPage(readFileSync(file, 'utf8'), appClientUrl));
    } else {
      sendFile(response, file);
    }
  }

  function serveCrayons(path: string, response: ServerResponse): void {
    // Only the folders the CDN URLs name: dist/ (components) and css/ (styles).
    const file = /^(dist|css)\//.test(path) ? fileWithin(crayons, path) : null;
    if (file === null) {
      sendText(response, 404, `No file ${path} in @freshworks/crayons`);
    } else if (icons !== null && extname(file) === '.js') {
      send(response, 200, 'text/javascript; charset=utf-8', readFileSync(file, 'utf8').split(CRAYONS_ICON_CDN_PREFIX).join(CRAYONS_ICON_ROUTE), 'package');
    } else {
      sendFile(response, file, 'package');
    }
  }

  function serveIcon(path: string, response: ServerResponse): void {
    const file = icons !== null && path.startsWith('dist/icons/') ? fileWithin(icons, path) : null;
    if (file === null) {
      sendText(response, 404, `No icon ${path} in @freshworks/crayons-icon`);
    } else {
      sendFile(response, file, 'package');
    }
  }

  return {
    handle(path, response) {
      if (path === CLIENT_ROUTE) {
        send(response, 200, 'text/javascript; charset=utf-8', client);
      } else if (path.startsWith(APP_ROUTE)) {
        serveApp(path.slice(APP_ROUTE.length), response);
      } else if (path.startsWith(CRAYONS_ROUTE)) {
        serveCrayons(path.slice(CRAYONS_ROUTE.length), response);
      } else if (path.startsWith(CRAYONS_ICON_ROUTE)) {
        serveIcon(path.slice(CRAYONS_ICON_ROUTE.length), response);
      } else {
        return false;
      }
      return true;
    },
  };
}
