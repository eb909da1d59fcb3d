import { describe, expect, it } from "vitest";
import { buttonLabel, renderMessage } from "../../src/channels/telegram/render.js";
import { splitText } from "../../src/channels/telegram/split.js";

const menu = {
  text: "Menu utama.\n\n1. Daftar pelatihan\n2. Lihat jadwal\n\nBalas dengan angka 1–2.",
  choices: [
    { id: "1", label: "Daftar pelatihan" },
    { id: "2", label: "Lihat jadwal" },
  ],
};

describe("renderMessage", () => {
  it("shows choices as an inline keyboard, one button per row, text as given", () => {
    expect(renderMessage(menu)).toEqual([
      {
        text: menu.text,
        replyMarkup: {
          inline_keyboard: [
            [{ text: "Daftar pelatihan", callback_data: "1" }],
            [{ text: "Lihat jadwal", callback_data: "2" }],
          ],
        },
      },
    ]);
  });

  it("offers a share-my-number reply keyboard when the phone is asked", () => {
    const [part] = renderMessage({ text: "Berapa nomor HP Anda?", requestPhone: true });
    expect(part?.replyMarkup).toEqual({
      keyboard: [[{ text: "Kirim nomor HP saya", request_contact: true }]],
      one_time_keyboard: true,
      resize_keyboard: true,
      input_field_placeholder: "Atau ketik nomor HP Anda",
    });
  });

  it("removes a leftover reply keyboard with plain messages", () => {
    expect(renderMessage({ text: "Terima kasih." })).toEqual([
      { text: "Terima kasih.", replyMarkup: { remove_keyboard: true } },
    ]);
  });

  it("sends no keyboard when a choice id does not fit callback_data (64 bytes)", () => {
    const [part] = renderMessage({
      text: "Pilih",
      choices: [
        { id: "1", label: "Satu" },
        { id: "é".repeat(33), label: "Terlalu panjang" },
      ],
    });
    expect(part?.replyMarkup).toEqual({ remove_keyboard: true });
    const [fits] = renderMessage({ text: "Pilih", choices: [{ id: "x".repeat(64), label: "A" }] });
    expect(fits?.replyMarkup).toHaveProperty("inline_keyboard");
  });

  it("cuts long button labels without breaking characters", () => {
    const label = `Pelatihan menjahit tingkat dasar untuk ibu rumah tangga ${"🧵".repeat(3)}`;
    const cut = buttonLabel({ id: "1", label });
    expect(Array.from(cut).length).toBeLessThanOrEqual(40);
    expect(cut.startsWith("Pelatihan menjahit tingkat dasar untuk")).toBe(true);
    expect(cut.endsWith("…")).toBe(true);
    expect(buttonLabel({ id: "3", label: "  " })).toBe("3");
  });

  it("splits a 5000-character text on a paragraph boundary, keyboard on the last part", () => {
    const first = "a".repeat(3000);
    const second = "b".repeat(1998);
    const parts = renderMessage({ ...menu, text: `${first}\n\n${second}` });
    expect(parts.map((part) => part.text)).toEqual([first, second]);
    expect(parts[0]).not.toHaveProperty("replyMarkup");
    expect(parts[1]?.replyMarkup).toHaveProperty("inline_keyboard");
  });
});

describe("splitText", () => {
  it("keeps a text that fits whole", () => {
    expect(splitText("halo\n\ndunia", 4096)).toEqual(["halo\n\ndunia"]);
  });

  it("packs paragraphs greedily", () => {
    expect(splitText("aaa\n\nbbb\n\nccc", 8)).toEqual(["aaa\n\nbbb", "ccc"]);
  });

  it("falls back to lines, then to the last space, then to a hard cut", () => {
    expect(splitText("aaaa\nbbbb\ncccc", 9)).toEqual(["aaaa\nbbbb", "cccc"]);
    expect(splitText("satu dua tiga empat", 10)).toEqual(["satu dua", "tiga empat"]);
    expect(splitText("x".repeat(25), 10)).toEqual(["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
  });

  it("never cuts inside a surrogate pair, and every part fits", () => {
    const text = "😀".repeat(10);
    const parts = splitText(text, 5);
    expect(parts.join("")).toBe(text);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(5);
      expect(part).toBe(Array.from(part).join(""));
      expect(/^(?:\p{Extended_Pictographic})+$/u.test(part)).toBe(true);
    }
  });
});
