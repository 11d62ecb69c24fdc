// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Language switcher: submit on change (the <noscript> button covers browsers without JavaScript).
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // Copy-to-clipboard buttons (API token page).
  document.querySelectorAll("[data-copy-target]").forEach((button) => {
    button.addEventListener("click", async () => {
      const target = document.getElementById(button.dataset.copyTarget);
      if (!target) return;
      try {
        await navigator.clipboard.writeText(target.value || target.textContent);
        button.textContent = button.dataset.copiedLabel || "OK";
      } catch (e) {
        target.select && target.select();
      }
    });
  });
  // Confirmation for destructive forms.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});

// Phones: the header's menu folds behind its button (kla.css hides the menu while aria-expanded is "false"; on wide
// screens the button is not shown and the menu always is). Escape folds it again and returns to the button.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle[aria-controls]");
  const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!menu) return;
  const open = () => toggle.getAttribute("aria-expanded") === "true";
  toggle.addEventListener("click", () => toggle.setAttribute("aria-expanded", String(!open())));
  menu.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !open() || toggle.offsetParent === null) return;
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
  });
});

// Autosave: a dropped connection never loses an answer. The form is marked "not saved" and retried until the
// server answers; leaving the page with unsaved answers asks for confirmation.
(function () {
  const pending = new Set();
  function mark(form, state, text) {
    const label = form.querySelector(".save-state");
    // The text comes from the template (data-saving, data-offline: translated there), the Indonesian as fallback.
    if (label) { label.dataset.state = state; label.textContent = label.dataset[state] || text; }
  }
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.target.closest && event.target.closest("form[data-autosave]");
    if (form) { pending.add(form.id); mark(form, "saving", "Menyimpan…"); }
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.target.closest && event.target.closest("form[data-autosave]");
    if (form && event.detail.successful) pending.delete(form.id);
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    const form = event.target;
    if (form && form.id) pending.delete(form.id);
  });
  function retryLater(form) {
    mark(form, "offline", "Belum tersimpan: koneksi terputus. Mencoba lagi…");
    setTimeout(() => { if (document.getElementById(form.id) === form) form.requestSubmit(); }, 5000);
  }
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.target.closest && event.target.closest("form[data-autosave]");
    if (form) retryLater(form);
  });
  document.addEventListener("htmx:responseError", (event) => {
    const form = event.target.closest && event.target.closest("form[data-autosave]");
    if (form && event.detail.xhr && event.detail.xhr.status >= 500) retryLater(form);
  });
  window.addEventListener("beforeunload", (event) => {
    if (pending.size) { event.preventDefault(); event.returnValue = ""; }
  });
})();

// Autosave replaces a question's form with the server's answer. A person who has moved on to the next field of the
// same question (the denominator after the numerator) and is typing there keeps what they typed, and the caret;
// leaving the field then saves it.
(function () {
  let typing = null;
  document.addEventListener("htmx:beforeSwap", (event) => {
    const form = event.detail.target;
    const active = document.activeElement;
    typing = null;
    if (!form || !form.matches || !form.matches("form[data-autosave]") || !active || !form.contains(active)) return;
    if (!active.id || !(active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement)) return;
    typing = { id: active.id, value: active.value, start: active.selectionStart, end: active.selectionEnd };
  });
  document.addEventListener("htmx:afterSwap", () => {
    const kept = typing;
    typing = null;
    const field = kept && document.getElementById(kept.id);
    if (!field) return;
    field.focus();
    if (field.value === kept.value) return;
    field.value = kept.value;
    try { field.setSelectionRange(kept.start, kept.end); } catch (e) { /* not a text field */ }
    field.addEventListener("blur", () => field.dispatchEvent(new Event("change", { bubbles: true })), { once: true });
  });
})();

// A storage failure (507 full / 503 failing) answered with the form's own partial is shown in place, like a 422:
// the view marks such responses with "KLA-Partial: 1" (a 503 page of the whole site is never swapped in).
document.addEventListener("htmx:beforeSwap", (event) => {
  const xhr = event.detail.xhr;
  if (xhr && xhr.status >= 500 && xhr.getResponseHeader("KLA-Partial") === "1") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// Upload progress for evidence files (htmx emits progress events for multipart requests).
document.addEventListener("htmx:xhr:progress", (event) => {
  const form = event.target.closest && event.target.closest("form[data-upload]");
  if (!form || !event.detail.lengthComputable) return;
  const bar = form.querySelector(".upload-progress");
  const state = form.querySelector(".upload-state");
  const percent = Math.round((event.detail.loaded / event.detail.total) * 100);
  if (bar) { bar.hidden = false; bar.value = percent; }
  if (state) {
    const uploading = state.dataset.uploading || "Mengunggah";
    state.textContent = percent < 100 ? `${uploading} ${percent}%` : state.dataset.checking || "Memeriksa berkas…";
  }
});

// When the upload's request ends (stored, refused or failed), a form that is still on the page (the photo form stays
// while the list beside it is replaced) drops its progress bar and its "Memeriksa berkas…" status. When no answer of
// ours came back (the connection dropped, or a server or proxy answered 5xx/413 with no form of ours to show), the
// form says so and what to do: the file is still chosen, so pressing the button again sends it again.
const uploadDone = (event) => {
  const form = event.target.closest && event.target.closest("form[data-upload]");
  if (!form || !form.isConnected) return;
  const bar = form.querySelector(".upload-progress");
  const state = form.querySelector(".upload-state");
  if (bar) { bar.hidden = true; bar.value = 0; }
  if (!state) return;
  const status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
  let problem = "";
  if (event.type === "htmx:sendError") problem = state.dataset.offline || "Koneksi terputus; berkas belum tersimpan.";
  else if (event.detail && event.detail.failed) {
    problem = status === 413 ? state.dataset.tooLarge || "Berkas terlalu besar; berkas belum tersimpan."
      : (state.dataset.failed || "Unggahan gagal; berkas belum tersimpan.").replace("%(status)s", String(status));
  }
  state.textContent = problem;
  state.classList.toggle("upload-failed", Boolean(problem));
};
document.addEventListener("htmx:afterRequest", uploadDone);
document.addEventListener("htmx:sendError", uploadDone);

// "Pilih semua": a checkbox with data-check-all="name" ticks every checkbox named `name` in the same form.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.dataset.checkAll || !box.form) return;
  box.form.querySelectorAll(`input[type=checkbox][name="${box.dataset.checkAll}"]`).forEach((other) => {
    if (!other.disabled) other.checked = box.checked;
  });
});
