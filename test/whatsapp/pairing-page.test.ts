import { describe, expect, it } from "vitest";
import { escapeHtml, renderPairingPage } from "../../src/channels/whatsapp/pairing-page.js";
import { formatPairingCode } from "../../src/channels/whatsapp/qr.js";

describe("WhatsApp pairing page", () => {
  it("shows the state in Indonesian, with no script", () => {
    const pages = {
      off: renderPairingPage({ state: { state: "off" } }),
      starting: renderPairingPage({ state: { state: "starting" } }),
      authenticated: renderPairingPage({ state: { state: "authenticated" } }),
      ready: renderPairingPage({ state: { state: "ready" } }),
    };
    expect(pages.off).toContain("WhatsApp tidak aktif");
    expect(pages.starting).toContain("Menyiapkan WhatsApp");
    expect(pages.authenticated).toContain("memuat percakapan");
    expect(pages.ready).toContain("Tersambung");
    expect(pages.ready).toContain('content="30"');
    for (const html of Object.values(pages)) {
      expect(html).toContain('<html lang="id">');
      expect(html).not.toMatch(/<script|\sstyle=|\son\w+=/i);
    }
  });

  it("shows the pairing code and the QR code, escaped", () => {
    const html = renderPairingPage({
      state: { state: "qr", qr: "2@abc" },
      qrDataUrl: 'data:image/png;base64,AAAA"><b>',
      pairingCode: "abcd1234",
    });
    expect(html).toContain("ABCD-1234");
    expect(html).toContain("Tautkan dengan nomor telepon saja");
    expect(html).toContain('src="data:image/png;base64,AAAA&quot;&gt;&lt;b&gt;"');
    expect(html).not.toContain("<b>");
  });

  it("escapes the five HTML characters and formats pairing codes", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
    expect(formatPairingCode("WXYZ5678")).toBe("WXYZ-5678");
    expect(formatPairingCode("wx-yz")).toBe("WXYZ");
  });
});
