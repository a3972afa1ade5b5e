// The sketch canvas: pointer events (mouse, pen and touch alike), pen and eraser strokes kept as a list so that
// undo redraws the rest, exported as a dark-on-white PNG the server reads like any uploaded drawing.
const paper = "#ffffff";
const ink = "#1b1f24";

export function attach(canvas) {
  const context = canvas.getContext("2d");
  const strokes = [];
  let tool = "pen";
  let current = null;

  const point = (event) => {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * canvas.width / box.width, (event.clientY - box.top) * canvas.height / box.height];
  };
  const style = (stroke) => {
    context.strokeStyle = stroke.tool === "pen" ? ink : paper;
    context.lineWidth = stroke.tool === "pen" ? 3 : 18;
    context.lineCap = "round";
    context.lineJoin = "round";
  };
  const draw = (stroke) => {
    style(stroke);
    context.beginPath();
    const [x0, y0] = stroke.points[0];
    context.moveTo(x0, y0);
    for (const [x, y] of stroke.points.slice(1)) context.lineTo(x, y);
    if (stroke.points.length === 1) context.lineTo(x0 + 0.1, y0);
    context.stroke();
  };
  const redraw = () => {
    context.fillStyle = paper;
    context.fillRect(0, 0, canvas.width, canvas.height);
    strokes.forEach(draw);
  };

  const down = (event) => {
    if (event.button !== 0 && event.pointerType === "mouse") return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    current = { tool, points: [point(event)] };
    strokes.push(current);
    draw(current);
  };
  const move = (event) => {
    if (!current) return;
    event.preventDefault();
    const last = current.points[current.points.length - 1];
    const next = point(event);
    current.points.push(next);
    style(current);
    context.beginPath();
    context.moveTo(last[0], last[1]);
    context.lineTo(next[0], next[1]);
    context.stroke();
  };
  const up = () => { current = null; };

  canvas.addEventListener("pointerdown", down);
  canvas.addEventListener("pointermove", move);
  canvas.addEventListener("pointerup", up);
  canvas.addEventListener("pointercancel", up);
  redraw();

  return {
    setTool(name) { tool = name; },
    undo() { strokes.pop(); redraw(); },
    clear() { strokes.length = 0; redraw(); },
    isEmpty() { return !strokes.some((s) => s.tool === "pen"); },
    async png() {
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
      // Blazor streams a returned typed array to .NET when it asks for an IJSStreamReference.
      return new Uint8Array(await blob.arrayBuffer());
    },
    dispose() {
      canvas.removeEventListener("pointerdown", down);
      canvas.removeEventListener("pointermove", move);
      canvas.removeEventListener("pointerup", up);
      canvas.removeEventListener("pointercancel", up);
    },
  };
}
