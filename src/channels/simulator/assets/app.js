// Berdaya simulator: staff chat with Berdaya as one or more residents, like in WhatsApp.
// Plain ES2020, no framework, no build step. Everything a resident, a staff member or the bot
// wrote is untrusted: it is shown with textContent only, never as HTML.

(() => {
  const storageKey = "berdaya.simulator.v1";
  const idPattern = /^[A-Za-z0-9_.:@+-]{1,64}$/;
  const defaultResident = "warga-1";
  const failedNotice = "Gagal mengirim, coba lagi.";
  const rejectedNotice = "Pesan ditolak. Periksa ID warga dan panjang pesan.";

  const $ = (id) => document.getElementById(id);
  const view = {
    residentId: $("resident-id"),
    residentName: $("resident-name"),
    residentList: $("resident-list"),
    residentError: $("resident-error"),
    newResident: $("new-resident"),
    conversation: $("conversation"),
    empty: $("empty"),
    typing: $("typing"),
    composer: $("composer"),
    message: $("message"),
  };

  // --- State: residents (id → name, messages), kept in sessionStorage ------------------------
  // A message is { role: "resident", text, messageId, status: "sending"|"sent"|"failed"|"rejected" }
  // or { role: "bot", text, choices?: [{ id, label }] }.

  /** @type {Map<string, { name: string, messages: object[] }>} */
  const residents = new Map();
  let current = defaultResident;
  /** Per resident, the promise of its last send: messages go out one after the other. */
  const queues = new Map();
  const pending = new Map();
  /** The list item shown for each message object of the current conversation. */
  let nodes = new WeakMap();

  function load() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(storageKey) || "null");
      if (saved && Array.isArray(saved.residents)) {
        for (const entry of saved.residents) {
          if (!entry || typeof entry.id !== "string" || !idPattern.test(entry.id)) continue;
          const messages = Array.isArray(entry.messages) ? entry.messages.filter(isMessage) : [];
          // A send cut short by a reload: its outcome is unknown; retrying with the same
          // message id is safe (Berdaya answers a redelivered message with the same replies).
          for (const message of messages) {
            if (message.status === "sending") message.status = "failed";
          }
          residents.set(entry.id, {
            name: typeof entry.name === "string" ? entry.name : "",
            messages,
            inboxAfter: Number.isInteger(entry.inboxAfter) ? entry.inboxAfter : 0,
          });
        }
        if (typeof saved.current === "string" && residents.has(saved.current)) {
          current = saved.current;
        }
      }
    } catch {
      // Storage unavailable or unreadable: start afresh.
    }
    if (!residents.has(current)) residents.set(current, { name: "", messages: [], inboxAfter: 0 });
  }

  function isMessage(message) {
    return (
      message &&
      (message.role === "resident" || message.role === "bot") &&
      typeof message.text === "string"
    );
  }

  function save() {
    try {
      const list = [...residents].map(([id, resident]) => ({ id, ...resident }));
      sessionStorage.setItem(storageKey, JSON.stringify({ current, residents: list }));
    } catch {
      // Storage full or unavailable: the conversation still works, it is just not kept.
    }
  }

  function randomPart(length) {
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    const bytes = crypto.getRandomValues(new Uint8Array(length));
    return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join("");
  }

  /** A message id for the API: a retry sends the same one, so Berdaya never runs it twice. */
  function newMessageId() {
    return `sim-${Date.now().toString(36)}-${randomPart(10)}`;
  }

  // --- Rendering -------------------------------------------------------------------------------

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderMessage(message, residentId) {
    const item = element("li", `message message-${message.role}`);
    const bubble = element("div", "bubble");
    // Screen readers hear who wrote each bubble; sighted users see it from the side and colour.
    if (message.role === "bot") bubble.append(element("span", "sender", "Berdaya"));
    else bubble.append(element("span", "visually-hidden", "Anda: "));
    bubble.append(document.createTextNode(message.text));
    item.append(bubble);

    if (message.role === "bot" && Array.isArray(message.choices) && message.choices.length > 0) {
      const group = element("div", "choices");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Pilihan jawaban");
      for (const choice of message.choices) {
        // A numbered option shows its number, as in the text; other ids ("ya") show the label.
        const caption = /^\d+$/.test(choice.id) ? `${choice.id}. ${choice.label}` : choice.label;
        const button = element("button", "choice", caption);
        button.type = "button";
        button.addEventListener("click", () => send(residentId, String(choice.id)));
        group.append(button);
      }
      item.append(group);
    }
    if (message.role === "resident") item.append(renderStatus(message, residentId));
    nodes.set(message, item);
    return item;
  }

  function renderStatus(message, residentId) {
    if (message.status === "sending") return quietStatus("Mengirim…");
    if (message.status === "failed" || message.status === "rejected") {
      const status = element("div", "status status-failed");
      status.append(
        element("span", "", message.status === "failed" ? failedNotice : rejectedNotice),
      );
      if (message.status === "failed") {
        const retry = element("button", "retry", "Coba lagi");
        retry.type = "button";
        retry.addEventListener("click", () => resend(residentId, message));
        status.append(retry);
      }
      return status;
    }
    return quietStatus("✓");
  }

  /** A visual-only status: the live conversation announces the replies, not every tick. */
  function quietStatus(text) {
    const status = element("span", "status", text);
    status.setAttribute("aria-hidden", "true");
    return status;
  }

  function updateStatus(residentId, message) {
    if (residentId !== current) return;
    const item = nodes.get(message);
    if (!item?.lastElementChild) return;
    item.lastElementChild.replaceWith(renderStatus(message, residentId));
  }

  function scrollToEnd() {
    view.conversation.scrollTop = view.conversation.scrollHeight;
  }

  function append(residentId, message) {
    if (residentId !== current) return;
    view.conversation.append(renderMessage(message, residentId));
    view.empty.hidden = true;
    scrollToEnd();
  }

  /** Shows the whole conversation of the current resident (after switching). */
  function renderConversation() {
    const resident = residents.get(current);
    nodes = new WeakMap();
    view.conversation.setAttribute("aria-busy", "true");
    view.conversation.replaceChildren(
      ...resident.messages.map((message) => renderMessage(message, current)),
    );
    view.conversation.removeAttribute("aria-busy");
    view.empty.hidden = resident.messages.length > 0;
    view.typing.hidden = !pending.get(current);
    scrollToEnd();
  }

  function renderResidents() {
    view.residentId.value = current;
    view.residentName.value = residents.get(current).name;
    view.residentList.replaceChildren(
      ...[...residents].map(([id, resident]) => {
        const option = element("option", "", resident.name ? `${resident.name} (${id})` : id);
        option.value = id;
        option.selected = id === current;
        return option;
      }),
    );
  }

  function showResidentError(text) {
    view.residentError.textContent = text;
    view.residentError.hidden = !text;
  }

  // --- Sending ---------------------------------------------------------------------------------

  async function post(residentId, message) {
    const body = { from: residentId, text: message.text, id: message.messageId };
    const name = residents.get(residentId).name.trim();
    if (name) body.name = name;
    const response = await fetch("/api/simulator/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    if (response.status >= 400 && response.status < 500) return { rejected: true };
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const data = await response.json();
    if (!data || !Array.isArray(data.replies)) throw new Error("unexpected answer");
    return { replies: data.replies };
  }

  /** Shows a message from Berdaya (a reply or a later message), skipping a malformed one. */
  function receive(residentId, reply) {
    if (!reply || typeof reply.text !== "string") return;
    const bot = { role: "bot", text: reply.text };
    if (Array.isArray(reply.choices)) {
      bot.choices = reply.choices
        .filter((choice) => choice && typeof choice.id === "string")
        .map((choice) => ({ id: choice.id, label: String(choice.label) }));
    }
    residents.get(residentId).messages.push(bot);
    append(residentId, bot);
  }

  // --- Messages that arrive later: reminders, notices from staff, announcements -------------

  const inboxIntervalMs = 3000;

  async function checkInbox(residentId) {
    const resident = residents.get(residentId);
    const after = resident.inboxAfter || 0;
    try {
      const query = `from=${encodeURIComponent(residentId)}&after=${after}`;
      const response = await fetch(`/api/simulator/inbox?${query}`, {
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return;
      const data = await response.json();
      if (!data || !Array.isArray(data.messages)) return;
      for (const message of data.messages) {
        if (!Number.isInteger(message?.id) || message.id <= resident.inboxAfter) continue;
        resident.inboxAfter = message.id;
        receive(residentId, message);
      }
      if (data.messages.length > 0) save();
    } catch {
      // Offline or the server restarting: the next check catches up.
    }
  }

  function setPending(residentId, change) {
    pending.set(residentId, (pending.get(residentId) || 0) + change);
    if (residentId === current) view.typing.hidden = !pending.get(residentId);
  }

  /** Queues one message of a resident: sent after that resident's earlier messages. */
  function deliver(residentId, message) {
    const previous = queues.get(residentId) || Promise.resolve();
    setPending(residentId, 1);
    const next = previous.then(async () => {
      try {
        const result = await post(residentId, message);
        if (result.rejected) {
          message.status = "rejected";
        } else {
          message.status = "sent";
          for (const reply of result.replies) receive(residentId, reply);
        }
      } catch {
        message.status = "failed";
      } finally {
        setPending(residentId, -1);
        updateStatus(residentId, message);
        save();
      }
    });
    queues.set(residentId, next);
    return next;
  }

  function send(residentId, text) {
    if (!text.trim()) return;
    const message = { role: "resident", text, messageId: newMessageId(), status: "sending" };
    residents.get(residentId).messages.push(message);
    append(residentId, message);
    save();
    deliver(residentId, message);
  }

  function resend(residentId, message) {
    message.status = "sending";
    updateStatus(residentId, message);
    save();
    deliver(residentId, message);
  }

  // --- Switching residents -----------------------------------------------------------------------

  function switchTo(id) {
    if (!residents.has(id)) residents.set(id, { name: "", messages: [], inboxAfter: 0 });
    current = id;
    showResidentError("");
    save();
    renderResidents();
    renderConversation();
  }

  view.residentId.addEventListener("change", () => {
    const id = view.residentId.value.trim();
    if (!idPattern.test(id)) {
      showResidentError("ID warga harus 1–64 karakter: huruf, angka, dan _ . : @ + -");
      return;
    }
    switchTo(id);
  });

  view.residentId.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      view.residentId.dispatchEvent(new Event("change"));
    }
  });

  view.residentName.addEventListener("input", () => {
    residents.get(current).name = view.residentName.value;
    save();
  });

  view.residentName.addEventListener("change", () => renderResidents());

  view.residentList.addEventListener("change", () => switchTo(view.residentList.value));

  view.newResident.addEventListener("click", () => {
    let id = `warga-${randomPart(6)}`;
    while (residents.has(id)) id = `warga-${randomPart(6)}`;
    switchTo(id);
    view.residentName.focus();
  });

  // --- Composer ----------------------------------------------------------------------------------

  function resizeComposer() {
    view.message.style.height = "auto";
    view.message.style.height = `${view.message.scrollHeight}px`;
  }

  view.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = view.message.value.trim();
    if (!text) return;
    if (!idPattern.test(current)) return;
    send(current, text);
    view.message.value = "";
    resizeComposer();
    view.message.focus();
  });

  view.message.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      view.composer.requestSubmit();
    }
  });

  view.message.addEventListener("input", resizeComposer);

  load();
  renderResidents();
  renderConversation();
  // /simulator?mulai=daftar (the console's Flows page): the word to try, typed but not sent.
  const prefill = new URLSearchParams(window.location.search).get("mulai");
  if (prefill) {
    view.message.value = prefill.slice(
      0,
      view.message.maxLength > 0 ? view.message.maxLength : 4096,
    );
    resizeComposer();
  }
  view.message.focus();
  setInterval(() => checkInbox(current), inboxIntervalMs);
})();
