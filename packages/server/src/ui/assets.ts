/**
 * Static assets for the server-rendered pages. The HTTP layer serves
 * `stylesheet` at `stylesheetPath` (text/css) and `script` at `scriptPath`
 * (text/javascript). Pages never use inline styles or inline scripts, so a
 * strict CSP (`style-src 'self'; script-src 'self'`) works.
 *
 * Their text is in ui/assets/gatehouse.css and ui/assets/gatehouse.js;
 * scripts/build-assets.mjs inlines it into assets.generated.ts (not
 * committed) before tsc and vitest run.
 */

export const stylesheetPath = '/assets/gatehouse.css';
export const scriptPath = '/assets/gatehouse.js';

export { stylesheet } from './assets.generated.js';

/**
 * Progressive enhancement only; every page works without it.
 * - `<button data-copy="#id" hidden>`: revealed, copies the target's value / text.
 * - `<form data-confirm="…">`: asks before submitting.
 */
export { script } from './assets.generated.js';
