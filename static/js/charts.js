// Draws the charts declared with <canvas data-chart="ID-of-a-json_script-block">; data never comes inline as code.
// A block holds {labels, values} (one series) or {labels, datasets: [{label, values}], type, horizontal, stacked};
// the table beside every chart holds the same figures. Charts inside content swapped in by htmx are drawn too.
(() => {
  const COLOURS = ["#0b5d7a", "#d97706", "#15803d", "#7c3aed", "#b91c1c", "#0e7490", "#a16207", "#4b5563"];

  const wrapper = (canvas) => {
    // On a phone a long label is cut off at the left edge: break it into lines of about 24 characters.
    const width = canvas.parentElement ? canvas.parentElement.clientWidth : 640;
    return (label) => {
      if (width >= 480 || typeof label !== "string" || label.length <= 24) return label;
      const lines = [""];
      label.split(" ").forEach((word) => {
        const last = lines[lines.length - 1];
        if (last && (last + " " + word).length > 24) lines.push(word);
        else lines[lines.length - 1] = last ? last + " " + word : word;
      });
      return lines;
    };
  };

  const draw = (canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const sets = data.datasets || [{ label: "", values: data.values }];
    const horizontal = data.horizontal !== false;
    const stacked = Boolean(data.stacked);
    if (window.Chart.getChart(canvas)) return; // already drawn (content swapped in brings new canvases)
    const chart = new window.Chart(canvas, {
      type: data.type || "bar",
      data: {
        labels: data.labels.map(wrapper(canvas)),
        datasets: sets.map((s, i) => ({
          label: s.label,
          data: s.values,
          backgroundColor: COLOURS[i % COLOURS.length],
          borderColor: COLOURS[i % COLOURS.length],
        })),
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: sets.length > 1 } },
        scales: {
          x: { beginAtZero: true, stacked: stacked },
          y: { beginAtZero: true, stacked: stacked, ticks: { autoSkip: false } },
        },
      },
    });
    canvas.dataset.drawn = chart ? "1" : "";
  };

  const drawAll = (root) => {
    if (typeof window.Chart === "undefined") return;
    root.querySelectorAll("canvas[data-chart]").forEach(draw);
  };

  document.addEventListener("DOMContentLoaded", () => drawAll(document));
  // After an outerHTML swap the event's target is the element that was replaced: look at the whole page.
  document.addEventListener("htmx:afterSettle", () => drawAll(document));
})();
