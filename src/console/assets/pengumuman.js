// Pengumuman: the live count while composing, and the progress while sending. The pages work
// without this script ("Hitung penerima" button; the detail page reloads itself).
(() => {
  const compose = document.getElementById("compose");
  if (compose) {
    const target = document.getElementById("pratinjau");
    const csrf = compose.querySelector('input[name="_csrf"]')?.value ?? "";
    let timer;
    let latest = 0;
    const refresh = async () => {
      const ticket = ++latest;
      const body = new URLSearchParams(new FormData(compose));
      body.delete("action");
      try {
        const response = await fetch("/console/pengumuman/pratinjau", {
          method: "POST",
          headers: { "x-csrf-token": csrf, "content-type": "application/x-www-form-urlencoded" },
          body,
          credentials: "same-origin",
        });
        if (ticket !== latest || !target) return;
        const answer = await response.json();
        // The fragment is rendered (and escaped) by the server with the same code as the page.
        if (response.ok) target.innerHTML = answer.html;
        else target.textContent = Object.values(answer.errors ?? {}).join(" ");
      } catch {
        // Offline or the session ended: the "Hitung penerima" button still works.
      }
    };
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    };
    compose.addEventListener("change", soon);
    compose.addEventListener("input", soon);
  }

  const progress = document.querySelector("[data-progress-url]");
  if (progress && progress.dataset.status === "sending") {
    const url = progress.dataset.progressUrl;
    const poll = async () => {
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) return;
        const figures = await response.json();
        for (const element of progress.querySelectorAll("[data-field]")) {
          const field = element.dataset.field;
          if (field === "percent") element.value = figures.percent;
          else if (field === "percentText") element.textContent = `${figures.percent}%`;
          else if (field in figures) element.textContent = String(figures[field]);
        }
        if (figures.status !== "sending") {
          window.location.reload();
          return;
        }
      } catch {
        // Try again at the next tick.
      }
      setTimeout(poll, 2000);
    };
    setTimeout(poll, 2000);
  }
})();
