// The gallery's pointer and keyboard glue; everything else runs over the circuit.
// - A plain click on a tile opens the lightbox; ctrl/cmd/shift/middle clicks keep the link (a new tab: a real page).
// - The sentinel after the grid asks for the next window when it comes near the viewport.
// - While the lightbox is open: ←/→ step, F favourites, T focuses the tag field, Esc closes.
export function attach(root, gallery) {
  const onClick = event => {
    const link = event.target.closest("a[data-open]");
    if (!link || !root.contains(link) || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    gallery.invokeMethodAsync("Open", link.dataset.open);
  };
  const onKey = event => {
    if (!document.querySelector("[data-testid=lightbox]")) {
      return;
    }
    const typing = event.target.closest("input, textarea, select, [contenteditable=true]");
    if (event.key === "Escape") {
      event.preventDefault();
      gallery.invokeMethodAsync("Close");
    } else if (typing || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      event.preventDefault();
      gallery.invokeMethodAsync("Step", event.key === "ArrowLeft" ? -1 : 1);
    } else if (event.key === "f" || event.key === "F") {
      event.preventDefault();
      gallery.invokeMethodAsync("Favourite");
    } else if (event.key === "t" || event.key === "T") {
      const field = document.querySelector("[data-testid=lightbox] [data-testid=tag-input]");
      const input = field && (field.matches("input") ? field : field.querySelector("input"));
      if (input) {
        event.preventDefault();
        input.focus();
      }
    }
  };
  const observer = new IntersectionObserver(entries => {
    if (entries.some(e => e.isIntersecting)) {
      gallery.invokeMethodAsync("LoadMore");
    }
  }, { rootMargin: "600px 0px" });
  root.addEventListener("click", onClick);
  document.addEventListener("keydown", onKey);
  // Until now a plain click on a tile follows its link to the blueprint's page (a real page, so nothing breaks);
  // from now on it opens the lightbox. Browser tests wait for this mark, not for time.
  root.dataset.glue = "attached";
  return {
    // Called after each render that (re)creates the sentinel: observing anew reports whether it is visible now,
    // so a screen taller than the loaded windows keeps loading.
    watch(sentinel) {
      observer.disconnect();
      if (sentinel) {
        observer.observe(sentinel);
      }
    },
    dispose() {
      delete root.dataset.glue;
      observer.disconnect();
      root.removeEventListener("click", onClick);
      document.removeEventListener("keydown", onKey);
    },
  };
}
