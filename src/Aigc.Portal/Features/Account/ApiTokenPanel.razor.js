// Copies a new API token to the clipboard; the page keeps it selectable for browsers that refuse.
export async function copyText(text) {
  await navigator.clipboard.writeText(text);
}
