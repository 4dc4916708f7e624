/**
 * Where things are on screen, measured in the browser: the positions the widget promises (the
 * answer and the primary action within the first screen of the sidebar), that nothing is clipped
 * in a narrow sidebar, and that a focus ring is never cut by a scrolling box. The tests compile
 * without the DOM library, so the browser-side code types what it touches itself.
 */
import { strict as assert } from 'node:assert';
import type { Frame, Locator, Page } from 'playwright-core';
import { type Harness, screenshot, shellBox, sidebarFrame } from './harness';

/** A browser window and the width of Freshservice's contact sidebar in it. */
export interface Viewport {
  name: string;
  width: number;
  height: number;
  sidebar: number;
}

/** The viewports every role is tried at: a desktop, a small laptop, and a 240 px sidebar on the desktop. */
export const VIEWPORTS = [
  { name: '1440x900', width: 1440, height: 900, sidebar: 300 },
  { name: '1024x768', width: 1024, height: 768, sidebar: 300 },
  { name: 'sidebar240', width: 1440, height: 900, sidebar: 240 },
] as const satisfies readonly Viewport[];

/** The default width of the contact sidebar (the shell's column, as Freshservice's). */
export const SIDEBAR_WIDTH = 300;

export interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

interface Rect {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

interface BrowserElement {
  getBoundingClientRect(): Rect;
}

/** The element's box inside its own frame: 0 is the top of the sidebar's iframe. */
export async function boxInFrame(locator: Locator): Promise<Box> {
  const rect = await locator.evaluate((element: BrowserElement) => {
    const box = element.getBoundingClientRect();
    return { top: box.top, bottom: box.bottom, left: box.left, right: box.right };
  });
  return rect;
}

/** The element's box on the page the agent looks at (the browser's viewport). */
export async function boxOnPage(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  assert.ok(box, 'the element is on screen');
  return { top: box.y, bottom: box.y + box.height, left: box.x, right: box.x + box.width };
}

/** Opens a user page at a viewport and sidebar width, and waits for the access view. */
export async function openSidebarAt(harness: Harness, viewport: Viewport, viewerId: number, viewedId: number): Promise<{ page: Page; sidebar: Frame }> {
  const page = await harness.context.newPage();
  await page.setViewportSize({ width: viewport.width, height: viewport.height });
  await page.goto(`${harness.runtime.shellUrl}/users/${viewedId}?as=${viewerId}`);
  if (viewport.sidebar !== SIDEBAR_WIDTH) {
    // Freshservice's sidebar narrows with the window; the shell's column is set to the width under test.
    await page.addStyleTag({ content: `.user-page { grid-template-columns: 1fr ${viewport.sidebar}px !important; } .user-sidebar { width: ${viewport.sidebar}px !important; }` });
  }
  const sidebar = await sidebarFrame(page);
  await sidebar.locator('.access-view, .error-panel').first().waitFor({ timeout: 30_000 });
  const failure = sidebar.locator('.error-panel');
  if ((await failure.count()) > 0 && (await sidebar.locator('.access-view').count()) === 0) {
    throw new Error(`the sidebar showed an error: ${(await failure.first().textContent()) ?? ''}`);
  }
  await waitForFrameWidth(page, viewport.sidebar);
  return { page, sidebar };
}

async function waitForFrameWidth(page: Page, width: number): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const box = await shellBox(page, '#app-contact_sidebar');
    if (box !== null && Math.abs(box.width - (width - 2)) <= 4) {
      return;
    }
    await page.waitForTimeout(50);
  }
  assert.fail(`the sidebar iframe never became ${width} px wide`);
}

/**
 * Asserts that `locator` ends within the first `limit` px of the sidebar and within the browser's
 * viewport (the first screen, without scrolling). Returns its bottom inside the frame.
 */
export async function assertOnFirstScreen(page: Page, locator: Locator, limit: number, what: string): Promise<number> {
  const inFrame = await boxInFrame(locator);
  assert.ok(inFrame.bottom <= limit, `${what} ends ${Math.round(inFrame.bottom)} px down the sidebar, past ${limit} px`);
  const onPage = await boxOnPage(locator);
  const viewport = page.viewportSize();
  assert.ok(viewport !== null && onPage.bottom <= viewport.height, `${what} ends at ${Math.round(onPage.bottom)} px, below the first screen (${viewport?.height ?? '?'} px)`);
  return inFrame.bottom;
}

/** What overflows the frame's width, or cuts its text (fw-button labels included): empty when nothing is clipped. */
export async function clippedIn(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    interface Node {
      scrollWidth: number;
      clientWidth: number;
      tagName: string;
      className: unknown;
      textContent: string | null;
      shadowRoot: { querySelector(selector: string): Node | null } | null;
      getBoundingClientRect(): Rect;
    }
    interface Rect {
      left: number;
      right: number;
    }
    const doc = (globalThis as unknown as { document: { documentElement: Node; querySelectorAll(selector: string): Node[] } }).document;
    const width = doc.documentElement.clientWidth;
    const name = (node: Node): string => `${node.tagName.toLowerCase()}.${String(node.className)} "${(node.textContent ?? '').trim().slice(0, 40)}"`;
    const problems: string[] = [];
    if (doc.documentElement.scrollWidth > width + 1) {
      problems.push(`the page scrolls sideways (${doc.documentElement.scrollWidth} > ${width})`);
    }
    for (const node of doc.querySelectorAll('#app *')) {
      const box = node.getBoundingClientRect();
      if (box.right > width + 1 || box.left < -1) {
        problems.push(`${name(node)} reaches ${Math.round(box.left)}..${Math.round(box.right)} of ${width}`);
      }
      const label = node.tagName === 'FW-BUTTON' ? node.shadowRoot?.querySelector('.fw-btn--label') : null;
      if (label && label.scrollWidth > label.clientWidth + 1) {
        problems.push(`${name(node)} cuts its label (${label.scrollWidth} > ${label.clientWidth})`);
      }
    }
    return problems;
  });
}

/**
 * Whether the focused element's focus ring (2 px outline, 2 px offset: 4 px around it) is cut by
 * any ancestor that clips (overflow other than visible), or falls outside the viewport.
 */
export async function focusRingClipped(frame: Frame): Promise<string | null> {
  return frame.evaluate(() => {
    interface Rect {
      top: number;
      bottom: number;
      left: number;
      right: number;
    }
    interface El {
      tagName: string;
      className: unknown;
      parentElement: El | null;
      getRootNode(): { host?: El };
      getBoundingClientRect(): Rect;
    }
    const win = globalThis as unknown as { document: { activeElement: El | null }; innerWidth: number; innerHeight: number; getComputedStyle(node: El): { overflowX: string; overflowY: string } };
    const focused = win.document.activeElement;
    if (focused === null || focused.tagName === 'BODY') {
      return 'nothing has focus';
    }
    const ring = focused.getBoundingClientRect();
    const outer = { top: ring.top - 4, bottom: ring.bottom + 4, left: ring.left - 4, right: ring.right + 4 };
    const outside = (box: Rect): boolean => outer.top < box.top - 0.5 || outer.bottom > box.bottom + 0.5 || outer.left < box.left - 0.5 || outer.right > box.right + 0.5;
    if (outside({ top: 0, left: 0, bottom: win.innerHeight, right: win.innerWidth })) {
      return `the focus ring of ${focused.tagName} leaves the viewport`;
    }
    let node: El | null = focused.parentElement ?? focused.getRootNode().host ?? null;
    while (node !== null) {
      const style = win.getComputedStyle(node);
      if ((style.overflowX !== 'visible' || style.overflowY !== 'visible') && outside(node.getBoundingClientRect())) {
        return `the focus ring of ${focused.tagName} is cut by ${node.tagName.toLowerCase()}.${String(node.className)}`;
      }
      node = node.parentElement ?? node.getRootNode().host ?? null;
    }
    return null;
  });
}

/** Screenshot of the sidebar iframe, named by case and viewport. */
export function sidebarShot(page: Page, name: string, viewport: Viewport): Promise<void> {
  return screenshot(page, '#app-contact_sidebar', `sidebar-${name}-${viewport.name}`);
}
