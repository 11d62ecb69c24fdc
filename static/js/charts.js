// Draws the charts declared with <canvas data-chart="ID-of-a-json_script-block">; data never comes inline as code.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof window.Chart === "undefined") return;
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    // On a phone a long label is cut off at the left edge: break it into lines of about 24 characters.
    const width = canvas.parentElement ? canvas.parentElement.clientWidth : 640;
    const wrap = (label) => {
      if (width >= 480 || typeof label !== "string" || label.length <= 24) return label;
      const lines = [""];
      label.split(" ").forEach((word) => {
        const last = lines[lines.length - 1];
        if (last && (last + " " + word).length > 24) lines.push(word);
        else lines[lines.length - 1] = last ? last + " " + word : word;
      });
      return lines;
    };
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels.map(wrap), datasets: [{ data: data.values, backgroundColor: "#0b5d7a" }] },
      options: { indexAxis: "y", maintainAspectRatio: false, plugins: { legend: { display: false } },
                 scales: { x: { beginAtZero: true }, y: { ticks: { autoSkip: false } } } },
    });
  });
});
