/**
 * Shared building blocks: the document layout, form fields, alerts, avatars.
 * Pure components: props in, JSX out. One file per kind under components/.
 */
export * from './components/layout.js';
export * from './components/forms.js';
export * from './components/visuals.js';
