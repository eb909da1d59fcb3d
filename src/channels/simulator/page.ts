/**
 * The simulator chat page. Static markup only: app.js (same origin, no inline script, as the
 * CSP demands) fills in the conversation and keeps each resident's history in sessionStorage.
 */
export function renderSimulatorPage(): string {
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Simulator chat Berdaya</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/simulator/style.css">
<script src="/simulator/app.js" defer></script>
</head>
<body>
<main class="phone">
  <header class="bar">
    <h1>Berdaya <span class="bar-sub">Simulator chat</span></h1>
    <p class="bar-hint">Coba Berdaya seperti warga di WhatsApp. Pesan di sini diproses dan disimpan seperti pesan asli.</p>
  </header>

  <section class="resident" aria-labelledby="resident-title">
    <h2 id="resident-title" class="visually-hidden">Warga yang sedang disimulasikan</h2>
    <div class="resident-fields">
      <div class="field">
        <label for="resident-id">ID warga</label>
        <input id="resident-id" name="from" value="warga-1" maxlength="64" required
          autocomplete="off" autocapitalize="off" spellcheck="false"
          pattern="[A-Za-z0-9_.:@+\\-]{1,64}" aria-describedby="resident-id-hint resident-error">
        <small id="resident-id-hint" class="hint">Huruf, angka, _ . : @ + - (maks. 64)</small>
      </div>
      <div class="field">
        <label for="resident-name">Nama <span class="optional">(opsional)</span></label>
        <input id="resident-name" name="name" maxlength="100" autocomplete="off">
      </div>
    </div>
    <div class="resident-actions">
      <div class="field field-inline">
        <label for="resident-list">Percakapan</label>
        <select id="resident-list"></select>
      </div>
      <button type="button" id="new-resident" class="secondary">Warga baru</button>
    </div>
    <p id="resident-error" class="error" role="alert" hidden></p>
  </section>

  <section class="chat" aria-labelledby="chat-title">
    <h2 id="chat-title" class="visually-hidden">Percakapan</h2>
    <p id="empty" class="empty">Belum ada pesan. Ketik <strong>halo</strong> untuk mulai.</p>
    <ol id="conversation" class="conversation" role="log" aria-live="polite"
      aria-relevant="additions text" aria-labelledby="chat-title" tabindex="0"></ol>
    <p id="typing" class="typing" hidden>Berdaya sedang mengetik…</p>
  </section>

  <form id="composer" class="composer" autocomplete="off">
    <label for="message" class="visually-hidden">Pesan</label>
    <textarea id="message" name="text" rows="1" maxlength="4096" required
      placeholder="Ketik pesan" aria-describedby="composer-hint"></textarea>
    <button type="submit" class="send">Kirim</button>
    <small id="composer-hint" class="hint composer-hint">Enter untuk kirim, Shift+Enter untuk baris baru. MENU: kembali ke menu, BATAL: batalkan.</small>
  </form>
  <noscript><p class="error">Simulator ini memerlukan JavaScript.</p></noscript>
</main>
</body>
</html>
`;
}
