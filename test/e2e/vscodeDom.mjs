// Playwright helpers that read and drive the VS Code workbench DOM (code-server 4.139 / Code 1.139).
// Every selector here was checked against the live DOM; README.md lists them with explanations.
// All helpers take a playwright Page.

const DEFAULT_TIMEOUT = 30_000;

/** Poll fn() until it returns a truthy value; returns that value or throws with the last seen value. */
export async function poll(fn, { timeout = DEFAULT_TIMEOUT, interval = 200, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try { last = await fn(); } catch (e) { last = e; }
    if (last && !(last instanceof Error)) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Wait until the workbench is rendered (status bar present). The extension host may still be starting. */
export async function waitForWorkbench(page, { timeout = 60_000 } = {}) {
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout });
}

/** A status bar entry (left or right) whose text contains `text`. */
export function statusBarItem(page, text) {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: text }).first();
}

/** All status bar entries' texts (handy for debugging). */
export async function statusBarTexts(page) {
  return (await page.locator('#workbench\\.parts\\.statusbar .statusbar-item').allInnerTexts())
    .map((s) => s.trim()).filter(Boolean);
}

const quickInput = (page) => page.locator('.quick-input-widget');
const quickInputBox = (page) => page.locator('.quick-input-widget .quick-input-box input');

/**
 * Open a file with Quick Open (Ctrl+P), typing `name`, and wait for its tab to be active.
 * `name` is matched against the active tab's data-resource-name (the base name).
 */
export async function quickOpen(page, name, { timeout = DEFAULT_TIMEOUT } = {}) {
  await page.keyboard.press('Control+P');
  await quickInputBox(page).waitFor({ state: 'visible', timeout });
  await page.keyboard.type(name);
  const base = name.split('/').pop();
  // Wait for the file search to have produced the row before pressing Enter (else Enter picks a stale row).
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: base }).first().waitFor({ timeout });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[data-resource-name="${base}"]`).waitFor({ timeout });
  await quickInput(page).waitFor({ state: 'hidden', timeout });
}

/** Base name of the active editor tab. */
export async function activeTabName(page) {
  return page.locator('.tabs-container .tab.active').first().getAttribute('data-resource-name');
}

/**
 * Run a command from the command palette by its label as shown there ("Category: Title").
 * Waits until the focused row is the exact command before pressing Enter.
 */
export async function runCommand(page, label, { timeout = DEFAULT_TIMEOUT } = {}) {
  await page.keyboard.press('Control+Shift+P');
  await quickInputBox(page).waitFor({ state: 'visible', timeout });
  await page.keyboard.type(label);
  await poll(async () => {
    const row = page.locator('.quick-input-list .monaco-list-row.focused').first();
    const aria = (await row.getAttribute('aria-label', { timeout: 1000 })) || '';
    return aria === label || aria.startsWith(`${label},`) || aria.startsWith(`${label} `);
  }, { timeout, what: `command palette row "${label}"` });
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden', timeout });
}

/** The active editor (the one in the active editor group). */
export function activeEditor(page) {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/**
 * Titles of the code lenses rendered in the active editor, top to bottom.
 * A lens with a command renders as <a role="button">title</a> inside span.codelens-decoration; one without a
 * command renders as a plain <span>; several lenses on one line share a decoration, separated by " | " spans.
 * Only lines inside the viewport are rendered.
 */
export async function codeLensTitles(page, { atLeast = 0, timeout = DEFAULT_TIMEOUT } = {}) {
  const read = () => activeEditor(page).evaluate((ed) => {
    const decos = [...ed.querySelectorAll('.contentWidgets .codelens-decoration')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return decos.flatMap((d) => [...d.children]
      .filter((c) => c.tagName === 'A' || !/^\s*\|\s*$/.test(c.textContent.replace(/\u00a0/g, ' ')))
      .map((c) => c.textContent.replace(/\u00a0/g, ' ').trim()));
  });
  if (atLeast > 0) return poll(async () => { const t = await read(); return t.length >= atLeast && t; }, { timeout, what: `${atLeast} code lens(es)` });
  return read();
}

/** Click the code lens whose title is exactly `title` in the active editor. */
export async function clickCodeLens(page, title) {
  await activeEditor(page).locator('.codelens-decoration a', { hasText: title })
    .filter({ hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first().click();
}

/** Move the cursor of the active editor with Go to Line (Ctrl+G, "line:col"; 1-based). */
export async function gotoLine(page, line, col = 1) {
  await page.keyboard.press('Control+G');
  await quickInputBox(page).waitFor({ state: 'visible' });
  await page.keyboard.type(`${line}:${col}`);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
}

/**
 * Show the hover at the cursor (command "Show or Focus Hover", keybinding Ctrl+K Ctrl+I) and return its
 * text (markdown rendered). Hover widget: .monaco-hover .hover-contents (or .monaco-hover-content).
 */
export async function hoverAtCursor(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents').first();
  await hover.waitFor({ state: 'visible', timeout });
  return (await page.locator('.monaco-hover:not(.hidden) .hover-contents').allInnerTexts()).join('\n').trim();
}

/** Open (and focus) the Problems panel. */
export async function openProblems(page) {
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor({ state: 'visible' });
}

/**
 * Entries of the Problems panel: [{file, severity, message, source, line, col}].
 * The panel is a virtualised tree: file rows (.resource-label-container) followed by marker rows
 * (.marker-icon.{error,warning,info}, .marker-message, .marker-source, .marker-line "[Ln 1, Col 1]").
 * Only rows in the visible part of the panel are in the DOM: keep the expected number small or
 * maximise the panel.
 */
export async function problems(page, { atLeast = 0, timeout = DEFAULT_TIMEOUT, open = true } = {}) {
  if (open) await openProblems(page);
  const read = () => page.locator('.markers-panel').evaluate((panel) => {
    const rows = [...panel.querySelectorAll('.monaco-list-row')]
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
    const out = [];
    let file = null;
    for (const r of rows) {
      const label = r.querySelector('.resource-label-container .label-name');
      if (label) { file = label.textContent.trim(); continue; }
      const icon = r.querySelector('.marker-icon');
      if (!icon) continue;
      const sev = ['error', 'warning', 'info'].find((s) => icon.classList.contains(s)) || 'unknown';
      const pos = (r.querySelector('.marker-line')?.textContent || '').match(/Ln (\d+), Col (\d+)/);
      out.push({
        file, severity: sev,
        message: r.querySelector('.marker-message')?.textContent.trim() ?? '',
        source: r.querySelector('.marker-source')?.textContent.trim() ?? '',
        line: pos ? Number(pos[1]) : null, col: pos ? Number(pos[2]) : null,
      });
    }
    return out;
  });
  if (atLeast > 0) return poll(async () => { const p = await read(); return p.length >= atLeast && p; }, { timeout, what: `${atLeast} problem(s)` });
  return read();
}

/** Texts of the visible notification toasts and of a modal dialog, if any. */
export async function notificationTexts(page) {
  return page.evaluate(() => [
    ...document.querySelectorAll('.notifications-toasts .notification-list-item-message'),
    ...document.querySelectorAll('.notifications-center .notification-list-item-message'),
    ...document.querySelectorAll('.monaco-dialog-box .dialog-message-text, .monaco-dialog-box .dialog-message-detail'),
  ].map((e) => e.textContent.trim()));
}

/** Wait for a notification toast (or modal dialog) whose text matches `re`; returns the text. */
export async function waitForNotification(page, re, { timeout = DEFAULT_TIMEOUT } = {}) {
  return poll(async () => (await notificationTexts(page)).find((t) => re.test(t)), { timeout, what: `notification ${re}` });
}

/** A button of the modal dialog (e.g. the workspace-trust dialog: "Trust Folder & Continue", "Cancel"). */
export function dialogButton(page, label) {
  return page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: label }).first();
}

/** Dismiss every notification toast. */
export async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

/**
 * Text of the visible terminal(s), one line per row. Needs the DOM renderer
 * ("terminal.integrated.gpuAcceleration": "off", set by startCodeServer) — with WebGL/canvas the rows are
 * pixels. Only the rows on screen (not the scrollback) are in the DOM.
 */
export async function terminalText(page) {
  return page.evaluate(() => [...document.querySelectorAll('.terminal-wrapper .xterm-rows')]
    .filter((e) => e.offsetParent !== null)
    .map((rows) => [...rows.children].map((r) => r.textContent.replace(/\u00a0/g, ' ').trimEnd()).join('\n'))
    .join('\n----\n'));
}

/** Wait until the visible terminal text matches `re`; returns the whole text. */
export async function waitForTerminalText(page, re, { timeout = DEFAULT_TIMEOUT } = {}) {
  return poll(async () => { const t = await terminalText(page); return re.test(t) && t; }, { timeout, what: `terminal text ${re}` });
}

/**
 * The whole buffer (scrollback included) of the active terminal, one string per line. Needs the server
 * started with smokeTestDriver: true (window.driver; the .terminal-wrapper.active element carries .xterm).
 * Works with any terminal renderer.
 */
export async function terminalBuffer(page) {
  return page.evaluate(() => window.driver.getTerminalBuffer('.terminal-wrapper.active'));
}
