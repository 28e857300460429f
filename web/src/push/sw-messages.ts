/** The service worker asks an open window to show a page: `{type: NAVIGATE_MESSAGE, url}` (a path). */
export const NAVIGATE_MESSAGE = "veza:navigate";
