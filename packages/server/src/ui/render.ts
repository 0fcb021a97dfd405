/**
 * Pages to HTML without hono/jsx's render context.
 *
 * hono/jsx (4.13 and later) runs every `toString()` render, and the elements it treats specially
 * (`<head>`, `<svg>`, `<meta>`, `<title>`, `<link>`, `<script>`, `<style>`), inside an
 * AsyncLocalStorage so that `useContext` survives `await`. On Node < 24 the first such render
 * turns on async_hooks for the rest of the process, and from then on every promise pays for it,
 * the token and introspection paths included (docs/performance.md). Our components are
 * synchronous and use no context, so the tree is
 * written straight into a buffer, and those elements are written as markup (`markup`).
 */
import type { JSXNode } from 'hono/jsx';
import { escapeToBuffer, raw } from 'hono/utils/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export function renderHtml(node: unknown): string {
  const buffer: [string, ...unknown[]] = [''];
  (node as JSXNode).toStringToBuffer(buffer as unknown as Parameters<JSXNode['toStringToBuffer']>[0]);
  // A promise in the tree (an async component) would leave more than one entry.
  if (buffer.length !== 1) throw new Error('renderHtml: pages must be synchronous');
  return buffer[0];
}

/** `value` escaped for an HTML attribute or text. */
export function escapeHtml(value: string): string {
  const buffer: [string] = [''];
  escapeToBuffer(value, buffer);
  return buffer[0];
}

/** Trusted markup, as a child of a JSX tree (see the module comment for why `<head>` and `<svg>` are written this way). */
export const markup = (html: string): HtmlEscapedString => raw(html);
