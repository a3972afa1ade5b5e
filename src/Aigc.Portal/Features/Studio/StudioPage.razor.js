// Reproduce by dropping a PNG anywhere on the Studio: the dropped file goes to the Reproduce input, whose change
// event Blazor's InputFile reads (the upload then streams over the circuit with the server's size limit).
export function listen(input) {
  const carriesFiles = (event) => event.dataTransfer && Array.from(event.dataTransfer.types || []).includes("Files");
  const over = (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    document.body.classList.add("studio-drop-over");
  };
  const leave = (event) => {
    if (event.relatedTarget === null) document.body.classList.remove("studio-drop-over");
  };
  const drop = (event) => {
    document.body.classList.remove("studio-drop-over");
    if (!event.dataTransfer || event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    input.files = event.dataTransfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  };
  document.addEventListener("dragover", over);
  document.addEventListener("dragleave", leave);
  document.addEventListener("drop", drop);
  return {
    dispose() {
      document.removeEventListener("dragover", over);
      document.removeEventListener("dragleave", leave);
      document.removeEventListener("drop", drop);
      document.body.classList.remove("studio-drop-over");
    },
  };
}
