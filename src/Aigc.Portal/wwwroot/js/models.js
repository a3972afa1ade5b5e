// Copy buttons (data-copy) for model hashes; event delegation so htmx-swapped rows work too.
document.addEventListener('click', async (event) => {
  const button = event.target.closest('[data-copy]');
  if (!button) return;
  try {
    await navigator.clipboard.writeText(button.dataset.copy);
    button.classList.add('copied');
    setTimeout(() => button.classList.remove('copied'), 1200);
  } catch {
    window.prompt('Copy the SHA-256:', button.dataset.copy);
  }
});
